package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.leader.LeaderElection;
import io.snowpack.core.spi.LeaderElector;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.testkit.UnreachableElector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Leader failover measured on a real PostgreSQL with database time: two candidates, each renewing on its own thread;
 * the leader is cut off from the database (as a crashed or partitioned process: it can no longer renew or release)
 * or closed gracefully, and the other takes over. The promise asserted: at no sampled instant do both believe they
 * lead, and a successor is always elected. The figures (how long takeovers took, and what they consist of) go to
 * {@code target/reliability/leader-failover.txt}, for README.md and RELIABILITY.md; they are not asserted, since
 * they depend on how busy the machine is.
 */
class LeaderFailoverTest {
    private static final Duration TTL = Duration.ofSeconds(3);
    private static final int TRIALS = 6;
    private static final AtomicInteger HOLDERS = new AtomicInteger();

    @Test
    void aCutOffOrClosedLeaderIsReplacedAndTwoNeverLeadAtOnce() throws Exception {
        DataSource dataSource = TestDatabases.postgres();
        SnowpackStore store = JdbcStore.builder(dataSource).schema(TestDatabases.newSchema(dataSource, "failover"))
                .build();
        List<String> crashes = new ArrayList<>();
        List<String> closes = new ArrayList<>();
        long overlaps = 0;
        try {
            for (int trial = 0; trial < TRIALS; trial++) {
                Trial crash = new Trial(store);
                overlaps += crash.run(true);
                crashes.add(crash.summary());
                Trial close = new Trial(store);
                overlaps += close.run(false);
                closes.add(close.summary());
            }
        } finally {
            store.close();
        }
        StringBuilder report = new StringBuilder("leader lease TTL " + TTL.toMillis() + " ms, ticks every "
                + TTL.toMillis() / 3 + " ms, PostgreSQL time\n");
        report.append("leader cut off from the database (crash or partition):\n");
        crashes.forEach(line -> report.append("  ").append(line).append('\n'));
        report.append("leader closed gracefully (lease released):\n");
        closes.forEach(line -> report.append("  ").append(line).append('\n'));
        report.append("samples where both believed they led: ").append(overlaps).append('\n');
        Path out = Path.of("target", "reliability", "leader-failover.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.print(report);

        assertThat(overlaps).as(report.toString()).isZero();
    }

    /** Two candidates; the leader is cut off (or closed) and the other takes over. */
    private static final class Trial {
        private final SnowpackStore store;
        private String figures = "";

        Trial(SnowpackStore store) {
            this.store = store;
        }

        /** @return how many samples saw two believers */
        long run(boolean cutOff) throws Exception {
            AtomicBoolean firstDown = new AtomicBoolean();
            AtomicBoolean secondDown = new AtomicBoolean();
            LeaderElection first = election(store.leaders(), firstDown);
            LeaderElection second = election(store.leaders(), secondDown);
            first.start();
            Thread.sleep(ThreadLocalRandom.current().nextLong(TTL.toMillis() / 3)); // processes tick out of phase
            second.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!first.isLeader() && !second.isLeader()) {
                    assertThat(System.nanoTime()).as("someone leads").isLessThan(deadline);
                    Thread.sleep(5);
                }
                // Some time into the term, as a real failure would be: anywhere in the renewal cycle.
                Thread.sleep(ThreadLocalRandom.current().nextLong(TTL.toMillis()));
                LeaderElection leader = first.isLeader() ? first : second;
                LeaderElection other = leader == first ? second : first;
                Lease dying = store.leaders().current(LeaderElection.SCHEDULER).orElseThrow();
                Instant dbAtKill = store.now();
                long killedAt = System.nanoTime();
                if (cutOff) {
                    (leader == first ? firstDown : secondDown).set(true);
                } else {
                    leader.close();
                }
                long overlaps = 0;
                long leaderStoppedAt = cutOff ? -1 : System.nanoTime();
                while (!other.isLeader()) {
                    boolean old = leader.isLeader();
                    if (old && other.isLeader()) {
                        overlaps++;
                    }
                    if (!old && leaderStoppedAt < 0) {
                        leaderStoppedAt = System.nanoTime();
                    }
                    assertThat(System.nanoTime()).as("a successor is elected").isLessThan(deadline);
                    Thread.sleep(1);
                }
                long tookOverAt = System.nanoTime();
                overlaps += leader.isLeader() ? 1 : 0;
                Lease successor = store.leaders().current(LeaderElection.SCHEDULER).orElseThrow();
                long remaining = Math.max(0, Duration.between(dbAtKill, dying.expiresAt()).toMillis());
                long failover = (tookOverAt - killedAt) / 1_000_000;
                long gap = (tookOverAt - Math.max(leaderStoppedAt, killedAt)) / 1_000_000;
                figures = cutOff
                        ? String.format("failover %5d ms = remaining lease %4d ms + %4d ms after it lapsed (database "
                                + "time); the old leader stopped believing %4d ms before the successor led", failover,
                                remaining, Duration.between(dying.expiresAt(), successor.acquiredAt()).toMillis(), gap)
                        : String.format("failover %5d ms after the release", failover);
                return overlaps;
            } finally {
                firstDown.set(false);
                secondDown.set(false);
                first.close();
                second.close();
            }
        }

        String summary() {
            return figures;
        }

        private static LeaderElection election(LeaderElector elector, AtomicBoolean cutOff) {
            return LeaderElection.builder().elector(new UnreachableElector(elector, cutOff, true))
                    .holderId("candidate-" + HOLDERS.incrementAndGet()).ttl(TTL).build();
        }
    }
}
