package io.snowpack.core.policy;

import io.snowpack.core.config.MaintenanceMode;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.TableHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The gates a table must pass before any threshold is looked at: allowed database, opted in, not skipped, due
 * by its cadence. Every gate is checked and stated, so a plan names every reason a table is left alone.
 */
final class Gates {
    private final SnowpackConfig config;

    Gates(SnowpackConfig config) {
        this.config = config;
    }

    /** {@code true} when the table passes every gate; adds one sentence per gate to {@code reasons}. */
    boolean pass(TableHealth health, TableSettings settings, Optional<Instant> lastMaintained, Instant now,
            List<String> reasons) {
        boolean database = database(health.table().database(), reasons);
        boolean optedIn = optedIn(settings.maintenanceEnabled(), health, reasons);
        boolean notSkipped = notSkipped(settings.compactionSkip(), health, reasons);
        boolean due = due(settings.cadence(), lastMaintained, now, reasons);
        return database && optedIn && notSkipped && due;
    }

    private boolean database(String database, List<String> reasons) {
        boolean included = config.orchestratorIncludeDatabases().contains(database);
        reasons.add("database " + database + (included ? " is" : " is not") + " in orchestrator.include_databases");
        return included;
    }

    private boolean optedIn(Flag enabled, TableHealth health, List<String> reasons) {
        String key = TableProperties.MAINTENANCE_ENABLED;
        if (enabled == Flag.INVALID) {
            reasons.add("not maintained: " + key + "='" + raw(health, key) + "' is neither true nor false");
            return false;
        }
        if (config.maintenanceMode() == MaintenanceMode.OPT_IN) {
            reasons.add(enabled == Flag.TRUE ? "opted in: " + key + "=true (opt_in mode)"
                    : "not opted in: " + key + " is not true (opt_in mode)");
            return enabled == Flag.TRUE;
        }
        reasons.add(enabled == Flag.FALSE ? "opted out: " + key + "=false (opt_out mode)"
                : "maintained by default: " + key + " is not false (opt_out mode)");
        return enabled != Flag.FALSE;
    }

    private static boolean notSkipped(Flag skip, TableHealth health, List<String> reasons) {
        String key = TableProperties.COMPACTION_SKIP;
        if (skip == Flag.TRUE) {
            reasons.add("skipped: " + key + "=true");
        } else if (skip == Flag.INVALID) {
            reasons.add("skipped: " + key + "='" + raw(health, key) + "' is neither true nor false");
        }
        return skip == Flag.UNSET || skip == Flag.FALSE;
    }

    private static boolean due(Duration cadence, Optional<Instant> lastMaintained, Instant now, List<String> reasons) {
        if (lastMaintained.isEmpty()) {
            reasons.add("due: no maintenance by Snowpack recorded");
            return true;
        }
        Duration since = Duration.between(lastMaintained.get(), now);
        boolean due = since.compareTo(cadence) >= 0;
        reasons.add(due
                ? "due: maintained " + Durations.human(since) + " ago, its cadence is " + Durations.human(cadence)
                : "skipped: maintained " + Durations.human(since) + " ago, within its " + Durations.human(cadence)
                        + " cadence");
        return due;
    }

    private static String raw(TableHealth health, String key) {
        return PropertyReader.abbreviate(health.properties().get(key));
    }
}
