package io.snowpack.testkit;

import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.SnowpackStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hammers one store's table locks and job queue from many threads at once with random delays and, on a share of
 * the writes, a corrupted fence. Every holder and every claim is mirrored in memory, so two holders of one lock or
 * two live claims of one job are caught the moment they happen; every write made with a corrupted fence must be
 * refused. {@link #run} returns what happened; {@link Report#violations()} must be empty.
 */
public final class LockAndClaimFuzz {
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final int KEYS = 4;

    private final SnowpackStore store;
    private final Map<String, String> holders = new ConcurrentHashMap<>();
    private final Set<JobId> claimed = ConcurrentHashMap.newKeySet();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicLong acquisitions = new AtomicLong();
    private final AtomicLong lockConflicts = new AtomicLong();
    private final AtomicLong claims = new AtomicLong();
    private final AtomicLong completions = new AtomicLong();
    private final AtomicLong corruptedWrites = new AtomicLong();
    private final AtomicLong refusedCorruptedWrites = new AtomicLong();

    /**
     * What a run did.
     *
     * @param threads                threads that ran
     * @param duration               how long they ran
     * @param acquisitions           locks taken
     * @param lockConflicts          acquisitions refused because another thread held the lock
     * @param claims                 jobs claimed
     * @param completions            jobs completed
     * @param corruptedWrites        renew, release, heartbeat and complete calls made with a corrupted fence
     * @param refusedCorruptedWrites of those, how many the store refused (all of them, or it is a violation)
     * @param violations             what went wrong: two holders, a double claim, a corrupted write accepted
     */
    public record Report(int threads, Duration duration, long acquisitions, long lockConflicts, long claims,
            long completions, long corruptedWrites, long refusedCorruptedWrites, List<String> violations) {
    }

    private LockAndClaimFuzz(SnowpackStore store) {
        this.store = store;
    }

    /** Runs {@code threads} threads against {@code store} for {@code duration}. */
    public static Report run(SnowpackStore store, int threads, Duration duration) throws InterruptedException {
        LockAndClaimFuzz fuzz = new LockAndClaimFuzz(store);
        for (int i = 0; i < threads * 20; i++) {
            store.queue().enqueue(JobId.random(), Duration.ZERO);
        }
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String me = "fuzz-" + t;
            Thread thread = new Thread(() -> fuzz.loop(me, deadline), me);
            workers.add(thread);
            thread.start();
        }
        for (Thread thread : workers) {
            thread.join();
        }
        return new Report(threads, duration, fuzz.acquisitions.get(), fuzz.lockConflicts.get(), fuzz.claims.get(),
                fuzz.completions.get(), fuzz.corruptedWrites.get(), fuzz.refusedCorruptedWrites.get(),
                List.copyOf(fuzz.violations));
    }

    private void loop(String me, long deadline) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < deadline && violations.size() < 10) {
            try {
                if (random.nextBoolean()) {
                    lockRound(me, random);
                } else {
                    claimRound(me, random);
                }
            } catch (RuntimeException e) {
                violations.add(me + ": unexpected " + e);
            }
        }
    }

    private void lockRound(String me, ThreadLocalRandom random) {
        String key = "fuzz.t" + random.nextInt(KEYS);
        Optional<Lease> taken = store.locks().tryAcquire(key, me, LEASE);
        if (taken.isEmpty()) {
            lockConflicts.incrementAndGet();
            return;
        }
        acquisitions.incrementAndGet();
        String other = holders.putIfAbsent(key, me);
        if (other != null) {
            violations.add("two holders of " + key + ": " + other + " and " + me);
            return;
        }
        Lease lease = taken.get();
        pause(random);
        if (random.nextInt(4) == 0) {
            expectRefused(store.locks().renew(corrupt(lease, random), LEASE).isPresent(), "renew", key);
        } else {
            lease = store.locks().renew(lease, LEASE).orElseGet(() -> {
                violations.add(me + " lost " + key + " on renew");
                return taken.get();
            });
        }
        pause(random);
        if (random.nextInt(4) == 0) {
            expectRefused(store.locks().release(corrupt(lease, random)), "release", key);
        }
        holders.remove(key, me);
        if (!store.locks().release(lease)) {
            violations.add(me + " could not release " + key);
        }
    }

    private void claimRound(String me, ThreadLocalRandom random) {
        for (Claim claim : store.queue().claim(me, 1 + random.nextInt(3))) {
            claims.incrementAndGet();
            if (!claimed.add(claim.jobId())) {
                violations.add("job " + claim.jobId() + " claimed twice at once (by " + me + ")");
                continue;
            }
            pause(random);
            if (random.nextInt(4) == 0) {
                expectRefused(store.queue().heartbeat(corruptClaim(claim, random)), "heartbeat", claim.jobId());
            }
            if (random.nextInt(4) == 0) {
                expectRefused(store.queue().complete(corruptClaim(claim, random)), "complete", claim.jobId());
            }
            claimed.remove(claim.jobId());
            if (random.nextBoolean()) {
                if (!store.queue().complete(claim)) {
                    violations.add(me + " could not complete its claim of " + claim.jobId());
                }
                completions.incrementAndGet();
                store.queue().enqueue(JobId.random(), Duration.ZERO);
            } else if (!store.queue().release(claim)) {
                violations.add(me + " could not release its claim of " + claim.jobId());
            }
        }
    }

    private void expectRefused(boolean accepted, String write, Object what) {
        corruptedWrites.incrementAndGet();
        if (accepted) {
            violations.add(write + " of " + what + " with a corrupted fence was accepted");
        } else {
            refusedCorruptedWrites.incrementAndGet();
        }
    }

    private static Lease corrupt(Lease lease, ThreadLocalRandom random) {
        return new Lease(lease.key(), lease.holder(), lease.fence() + 1 + random.nextInt(1000), lease.acquiredAt(),
                lease.expiresAt());
    }

    private static Claim corruptClaim(Claim claim, ThreadLocalRandom random) {
        long fence = random.nextBoolean() ? claim.fence() + 1 + random.nextInt(1000) : claim.fence() - 1;
        return new Claim(claim.jobId(), claim.workerId(), fence, claim.attempts(), claim.claimedAt());
    }

    private static void pause(ThreadLocalRandom random) {
        try {
            Thread.sleep(random.nextInt(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
