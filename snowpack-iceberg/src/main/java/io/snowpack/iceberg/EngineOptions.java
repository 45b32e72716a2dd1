package io.snowpack.iceberg;

import io.snowpack.core.policy.TableSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link ActionEngine} runs an action with, resolved once by the executor so every engine reads the same
 * values.
 *
 * @param settings          the table's resolved settings (its {@code snowpack.*} properties, then Iceberg's, then
 *                          the configured defaults)
 * @param orphanAge         unreferenced files younger than this are never deleted (never under the executor's floor)
 * @param now               the instant snapshot and file ages are judged against
 * @param commitProperties  what every committed snapshot's summary must carry: {@code snowpack.job-id},
 *                          {@code snowpack.attempt}, {@code snowpack.fence}, {@code snowpack.action}
 */
public record EngineOptions(TableSettings settings, Duration orphanAge, Instant now,
        Map<String, String> commitProperties) {
    public EngineOptions {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(orphanAge, "orphanAge");
        Objects.requireNonNull(now, "now");
        commitProperties = Map.copyOf(commitProperties);
    }

    /**
     * Snapshots committed before this instant (epoch milliseconds) are expired: {@link #now} minus the table's
     * maximum snapshot age, never before the epoch (a huge age expires nothing).
     */
    public long expireOlderThanMillis() {
        return SnapshotExpiry.cutoff(settings, now);
    }
}
