package io.snowpack.core.policy;

import io.snowpack.core.config.MaintenanceMode;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.TableHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The gates a table must pass before any threshold is looked at: allowed database, opted in, not skipped, due
 * by its cadence. Every gate is checked and stated, so a plan names every reason a table is left alone.
 */
final class Gates {
    private final SnowpackConfig config;

    Gates(SnowpackConfig config) {
        this.config = config;
    }

    /** The gates the table fails, empty when it passes them all; adds one sentence per gate to {@code reasons}. */
    Set<SkipReason> check(TableHealth health, TableSettings settings, Optional<Instant> lastMaintained, Instant now,
            List<String> reasons) {
        Set<SkipReason> failed = EnumSet.noneOf(SkipReason.class);
        if (!database(health.table().database(), reasons)) {
            failed.add(SkipReason.DATABASE_NOT_INCLUDED);
        }
        if (!optedIn(settings.maintenanceEnabled(), health, reasons)) {
            failed.add(SkipReason.NOT_OPTED_IN);
        }
        if (!notSkipped(settings.compactionSkip(), health, reasons)) {
            failed.add(SkipReason.COMPACTION_SKIP);
        }
        if (!due(settings.cadence(), lastMaintained, now, reasons)) {
            failed.add(SkipReason.WITHIN_CADENCE);
        }
        return failed;
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
