package io.snowpack.core.policy;

/**
 * A gate a table failed, so the orchestrator leaves it alone whatever its health. The wire names are the keys of
 * an orchestrator run's skipped-by-reason counts.
 */
public enum SkipReason {
    /** The table's database is not in {@code orchestrator.include_databases}. */
    DATABASE_NOT_INCLUDED("database_not_included"),
    /** Not opted in ({@code snowpack.maintenance_enabled}), or opted out in opt_out mode, or the flag is unreadable. */
    NOT_OPTED_IN("not_opted_in"),
    /** {@code snowpack.compaction_skip} is {@code true} (or unreadable). */
    COMPACTION_SKIP("compaction_skip"),
    /** Snowpack maintained the table within its cadence. */
    WITHIN_CADENCE("within_cadence");

    private final String wireName;

    SkipReason(String wireName) {
        this.wireName = wireName;
    }

    /** The snake_case name used in JSON and metrics. */
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
