package io.snowpack.core.memory;

import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.JobQueue;
import io.snowpack.core.spi.QueueEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The in-memory queue: rows by id, unclaimed rows ordered by {@code visible_at} (then insertion order).
 */
final class MemoryJobQueue implements JobQueue {
    private static final Comparator<Row> BY_VISIBILITY =
            Comparator.comparing((Row row) -> row.visibleAt).thenComparingLong(row -> row.sequence);

    private final Guard guard;
    private final MemoryTime time;
    private final ReadyListeners ready;
    private final Map<JobId, Row> rows = new HashMap<>();
    private final TreeSet<Row> unclaimed = new TreeSet<>(BY_VISIBILITY);
    private final Set<Row> claimed = new HashSet<>();
    private long fenceSequence;
    private long rowSequence;

    MemoryJobQueue(Guard guard, MemoryTime time, ReadyListeners ready) {
        this.guard = guard;
        this.time = time;
        this.ready = ready;
    }

    @Override
    public void enqueue(JobId jobId, Duration delay) {
        requireNonNegative(delay);
        guard.locked(() -> {
            if (rows.containsKey(jobId)) {
                throw new IllegalStateException("Job " + jobId + " is already queued");
            }
            Row row = new Row(jobId, rowSequence++, time.now().plus(delay));
            rows.put(jobId, row);
            unclaimed.add(row);
            guard.onRollback(() -> {
                rows.remove(jobId);
                unclaimed.remove(row);
            });
        });
        if (delay.isZero()) {
            ready.fire();
        }
    }

    @Override
    public List<Claim> claim(String workerId, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, got " + max);
        }
        java.util.Objects.requireNonNull(workerId, "workerId");
        guard.lock();
        try {
            Instant now = time.now();
            List<Claim> claims = new ArrayList<>(Math.min(max, 16));
            while (claims.size() < max && !unclaimed.isEmpty() && !unclaimed.first().visibleAt.isAfter(now)) {
                Row row = unclaimed.pollFirst();
                Row before = guard.recording() ? row.copy() : null;
                row.claimedAt = now;
                row.claimedBy = workerId;
                row.attempts++;
                row.fence = ++fenceSequence;
                claimed.add(row);
                if (before != null) {
                    guard.onRollback(() -> restore(row, before));
                }
                claims.add(row.toClaim());
            }
            return claims;
        } finally {
            guard.unlock();
        }
    }

    @Override
    public boolean heartbeat(Claim claim) {
        return guard.locked(() -> {
            Row row = current(claim);
            if (row == null) {
                return false;
            }
            if (guard.recording()) {
                Row before = row.copy();
                guard.onRollback(() -> restore(row, before));
            }
            row.claimedAt = time.now();
            return true;
        });
    }

    @Override
    public boolean complete(Claim claim) {
        guard.lock();
        try {
            Row row = current(claim);
            if (row == null) {
                return false;
            }
            delete(row);
            return true;
        } finally {
            guard.unlock();
        }
    }

    @Override
    public Set<JobId> completeAll(Collection<Claim> claims) {
        return guard.locked(() -> {
            Set<JobId> completed = new LinkedHashSet<>();
            for (Claim claim : claims) {
                if (complete(claim)) {
                    completed.add(claim.jobId());
                }
            }
            return completed;
        });
    }

    @Override
    public boolean retry(Claim claim, Duration delay) {
        requireNonNegative(delay);
        boolean requeued = guard.locked(() -> {
            Row row = current(claim);
            if (row == null) {
                return false;
            }
            unclaim(row, time.now().plus(delay));
            return true;
        });
        if (requeued && delay.isZero()) {
            ready.fire();
        }
        return requeued;
    }

    @Override
    public boolean postpone(Claim claim, Duration delay) {
        requireNonNegative(delay);
        boolean postponed = guard.locked(() -> {
            Row row = current(claim);
            if (row == null) {
                return false;
            }
            unclaim(row, time.now().plus(delay));
            row.attempts--;
            return true;
        });
        if (postponed && delay.isZero()) {
            ready.fire();
        }
        return postponed;
    }

    @Override
    public boolean release(Claim claim) {
        return retry(claim, Duration.ZERO);
    }

    @Override
    public boolean remove(JobId jobId) {
        return guard.locked(() -> {
            Row row = rows.get(jobId);
            if (row == null) {
                return false;
            }
            delete(row);
            return true;
        });
    }

    @Override
    public List<Claim> reclaimStale(Duration staleAfter) {
        requireNonNegative(staleAfter);
        return guard.locked(() -> {
            Instant now = time.now();
            Instant cutoff = now.minus(staleAfter);
            List<Row> stale = new ArrayList<>();
            for (Row row : claimed) {
                if (row.claimedAt.isBefore(cutoff)) {
                    stale.add(row);
                }
            }
            List<Claim> revoked = new ArrayList<>(stale.size());
            for (Row row : stale) {
                revoked.add(row.toClaim());
                unclaim(row, now);
            }
            return revoked;
        });
    }

    @Override
    public long readyDepth() {
        return guard.locked(() -> {
            Instant now = time.now();
            long depth = 0;
            for (Row row : unclaimed) {
                if (row.visibleAt.isAfter(now)) {
                    break;
                }
                depth++;
            }
            return depth;
        });
    }

    @Override
    public Optional<QueueEntry> entry(JobId jobId) {
        return guard.locked(() -> Optional.ofNullable(rows.get(jobId)).map(Row::toEntry));
    }

    /** The row when {@code claim} is its current claim, else null. */
    private Row current(Claim claim) {
        Row row = rows.get(claim.jobId());
        return row != null && row.claimedAt != null && row.fence == claim.fence() ? row : null;
    }

    private void unclaim(Row row, Instant visibleAt) {
        if (guard.recording()) {
            Row before = row.copy();
            guard.onRollback(() -> restore(row, before));
        }
        claimed.remove(row);
        row.claimedAt = null;
        row.claimedBy = null;
        row.visibleAt = visibleAt;
        row.fence = ++fenceSequence;
        unclaimed.add(row);
    }

    private void delete(Row row) {
        rows.remove(row.jobId);
        boolean wasClaimed = row.claimedAt != null;
        // A row sits in exactly one index: skip the O(log n) search of the other.
        if (wasClaimed) {
            claimed.remove(row);
        } else {
            unclaimed.remove(row);
        }
        guard.onRollback(() -> {
            rows.put(row.jobId, row);
            (wasClaimed ? claimed : unclaimed).add(row);
        });
    }

    /** Puts a row back as it was, in the right index. */
    private void restore(Row row, Row before) {
        claimed.remove(row);
        unclaimed.remove(row);
        row.visibleAt = before.visibleAt;
        row.claimedAt = before.claimedAt;
        row.claimedBy = before.claimedBy;
        row.attempts = before.attempts;
        row.fence = before.fence;
        (row.claimedAt != null ? claimed : unclaimed).add(row);
    }

    private static void requireNonNegative(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delay);
        }
    }

    /** One queue row; mutated only under the guard. Identity equality, so it can sit in hash sets. */
    private static final class Row {
        final JobId jobId;
        final long sequence;
        Instant visibleAt;
        Instant claimedAt;
        String claimedBy;
        int attempts;
        long fence;

        Row(JobId jobId, long sequence, Instant visibleAt) {
            this.jobId = jobId;
            this.sequence = sequence;
            this.visibleAt = visibleAt;
        }

        Row copy() {
            Row copy = new Row(jobId, sequence, visibleAt);
            copy.claimedAt = claimedAt;
            copy.claimedBy = claimedBy;
            copy.attempts = attempts;
            copy.fence = fence;
            return copy;
        }

        Claim toClaim() {
            return new Claim(jobId, claimedBy, fence, attempts, claimedAt);
        }

        QueueEntry toEntry() {
            return new QueueEntry(jobId, visibleAt, claimedAt, claimedBy, attempts, fence);
        }
    }
}
