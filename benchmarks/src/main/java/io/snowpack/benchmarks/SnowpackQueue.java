package io.snowpack.benchmarks;

import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.JobQueue;
import io.snowpack.core.spi.SnowpackStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/** Snowpack's {@code JobQueue}: one {@code claim} call, then {@code complete} (one job) or {@code completeAll}. */
final class SnowpackQueue implements QueueUnderTest {
    private final JobQueue queue;
    private final DataSource dataSource;
    private final String schema;

    /** @param dataSource the store's database, or null for the in-memory store */
    SnowpackQueue(SnowpackStore store, DataSource dataSource, String schema) {
        this.queue = store.queue();
        this.dataSource = dataSource;
        this.schema = schema;
    }

    @Override
    public long ready() {
        return queue.readyDepth();
    }

    @Override
    public void stock(long jobs) {
        add(jobs, true);
    }

    @Override
    public void add(long jobs) {
        add(jobs, false);
    }

    private void add(long jobs, boolean tidy) {
        if (dataSource != null) {
            Stock.insert(dataSource, schema, jobs, tidy);
            return;
        }
        // In memory the public API is the only way in; ids come from a fast generator, not SecureRandom.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long i = 0; i < jobs; i++) {
            try {
                queue.enqueue(new JobId(hex(random.nextLong(), random.nextLong())), Duration.ZERO);
            } catch (IllegalStateException duplicate) {
                i--;
            }
        }
        if (tidy) {
            System.gc();
        }
    }

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private static String hex(long high, long low) {
        char[] chars = new char[32];
        for (int i = 0; i < 16; i++) {
            chars[i] = DIGITS[(int) (high >>> (60 - 4 * i)) & 0xf];
            chars[16 + i] = DIGITS[(int) (low >>> (60 - 4 * i)) & 0xf];
        }
        return new String(chars);
    }

    @Override
    public int claimAndComplete(String worker, int batch) {
        List<Claim> claims = queue.claim(worker, batch);
        if (claims.isEmpty()) {
            return 0;
        }
        if (claims.size() == 1) {
            return queue.complete(claims.get(0)) ? 1 : 0;
        }
        return queue.completeAll(claims).size();
    }
}
