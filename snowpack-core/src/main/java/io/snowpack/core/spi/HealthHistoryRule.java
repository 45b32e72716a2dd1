package io.snowpack.core.spi;

import io.snowpack.core.model.TableHealth;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * When a {@link TableCache#upsert} also appends to the table's health history: when the measurement differs from
 * the newest history entry (any measured field; {@code syncedAt} is not a measurement), or when that entry is at
 * least {@code interval} older than the new one, or when the table has no history yet. Health sync measures every
 * table every pass (15 minutes by default); a table that does not change then costs one history row per
 * {@code interval} instead of one per pass. Timestamps are compared at microsecond precision, the precision
 * backends store.
 *
 * @param interval the longest gap between two history entries of an unchanged table; positive
 */
public record HealthHistoryRule(Duration interval) {
    /** One entry a day for an unchanged table. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);

    public HealthHistoryRule {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("Invalid health history interval " + interval + ": expected > 0");
        }
    }

    /** The rule with {@link #DEFAULT_INTERVAL}. */
    public static HealthHistoryRule defaults() {
        return new HealthHistoryRule(DEFAULT_INTERVAL);
    }

    /** Whether {@code next} is appended to a history whose newest entry is {@code newest}. */
    public boolean appends(Optional<TableHealth> newest, TableHealth next) {
        if (newest.isEmpty()) {
            return true;
        }
        TableHealth last = newest.get();
        return !sameMeasurement(last, next) || !next.syncedAt().isBefore(last.syncedAt().plus(interval));
    }

    /** {@code true} when the two measurements agree on every field but {@code syncedAt}. */
    static boolean sameMeasurement(TableHealth a, TableHealth b) {
        return normalised(a).equals(normalised(b));
    }

    private static TableHealth normalised(TableHealth health) {
        return health.toBuilder().syncedAt(Instant.EPOCH).oldestSnapshotAt(micros(health.oldestSnapshotAt())).build();
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
