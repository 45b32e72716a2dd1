package io.snowpack.core.config;

import static io.snowpack.core.config.ConfigErrors.invalid;
import static io.snowpack.core.config.ValueParsers.formatDuration;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rules between settings, checked after each value is in range. A contradiction is an
 * {@link io.snowpack.core.InvalidConfigurationException} on the setting to change, naming the other one and its
 * value; nothing is adjusted to fit.
 */
final class ConfigRules {
    private ConfigRules() {
    }

    static void check(SnowpackConfig config) {
        shorterThan(Setting.HEARTBEAT_INTERVAL, config.heartbeatInterval(), Setting.STALE_CLAIM_THRESHOLD,
                config.staleClaimThreshold(), "or live jobs would be reclaimed between two heartbeats");
        shorterThan(Setting.HEARTBEAT_INTERVAL, config.heartbeatInterval(), Setting.LOCK_TTL, config.lockTtl(),
                "or running jobs would lose their table lock between two heartbeats");
        if (config.lockTtl().compareTo(config.staleClaimThreshold()) <= 0) {
            throw invalid(Setting.LOCK_TTL.key(), formatDuration(config.lockTtl()), "a duration longer than "
                    + Setting.STALE_CLAIM_THRESHOLD.key() + " (" + formatDuration(config.staleClaimThreshold())
                    + "), so a job still holds its table lock until the sweeper reclaims it");
        }
        if (config.retryBackoffCap().compareTo(config.retryBackoffBase()) < 0) {
            throw invalid(Setting.RETRY_BACKOFF_CAP.key(), formatDuration(config.retryBackoffCap()),
                    "a duration at least " + Setting.RETRY_BACKOFF_BASE.key() + " ("
                            + formatDuration(config.retryBackoffBase()) + ")");
        }
        orchestratedDatabasesAreSynced(config.orchestratorIncludeDatabases(), config.healthSyncDatabases());
    }

    private static void shorterThan(Setting setting, Duration value, Setting other, Duration otherValue, String why) {
        if (value.compareTo(otherValue) >= 0) {
            throw invalid(setting.key(), formatDuration(value), "a duration shorter than " + other.key() + " ("
                    + formatDuration(otherValue) + "), " + why);
        }
    }

    /**
     * A database the orchestrator may schedule but health sync never visits would never reach the table cache,
     * so the orchestrator could never schedule its tables: the silent skip of the troubleshooting runbook.
     */
    private static void orchestratedDatabasesAreSynced(Set<String> orchestrated, Set<String> synced) {
        if (synced.isEmpty() || synced.containsAll(orchestrated)) {
            return;
        }
        Set<String> unsynced = new TreeSet<>(orchestrated);
        unsynced.removeAll(synced);
        throw invalid(Setting.ORCHESTRATOR_INCLUDE_DATABASES.key(), String.join(",", orchestrated),
                "only databases that " + Setting.HEALTH_SYNC_DATABASES.key() + " (" + String.join(",", synced)
                        + ") also lists; " + unsynced + " would never reach the table cache, so the orchestrator"
                        + " could never schedule their tables. Add them to " + Setting.HEALTH_SYNC_DATABASES.key()
                        + " or leave it empty to sync every database");
    }
}
