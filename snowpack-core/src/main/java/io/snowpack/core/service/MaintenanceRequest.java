package io.snowpack.core.service;

import io.snowpack.core.model.JobTrigger;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A request for maintenance of one table, already validated: a valid table name, at least one action,
 * de-duplicated and in canonical order.
 *
 * @param table   the table to maintain
 * @param actions the actions, in canonical order, never empty
 * @param dryRun  {@code true} to preview without changing anything
 * @param trigger who asks
 */
public record MaintenanceRequest(TableId table, List<MaintenanceAction> actions, boolean dryRun, JobTrigger trigger) {
    public MaintenanceRequest {
        Objects.requireNonNull(table, "table");
        actions = MaintenanceAction.canonical(actions);
        Objects.requireNonNull(trigger, "trigger");
    }

    /** A manual request. */
    public static MaintenanceRequest of(TableId table, Collection<MaintenanceAction> actions, boolean dryRun) {
        return new MaintenanceRequest(table, List.copyOf(actions), dryRun, JobTrigger.MANUAL);
    }

    /**
     * Validates raw input in the order the API answers it: the names first (422), then the actions (400).
     *
     * @throws io.snowpack.core.InvalidTableNameException when the database or table name is invalid
     * @throws io.snowpack.core.InvalidRequestException   when the actions are missing, empty or unknown
     */
    public static MaintenanceRequest parse(String database, String table, Collection<String> actions, boolean dryRun) {
        TableId id = new TableId(database, table);
        return new MaintenanceRequest(id, MaintenanceAction.parseAll(actions), dryRun, JobTrigger.MANUAL);
    }

    /** The same request, submitted by {@code newTrigger}. */
    public MaintenanceRequest withTrigger(JobTrigger newTrigger) {
        return new MaintenanceRequest(table, actions, dryRun, newTrigger);
    }
}
