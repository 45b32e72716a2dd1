package io.snowpack.core.model;

import io.snowpack.core.InvalidActionException;
import io.snowpack.core.InvalidRequestException;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The five maintenance actions, declared in their canonical execution order: a job runs its actions in this
 * order whatever order the request gave.
 */
public enum MaintenanceAction {
    /** Compacts small data files and applies pending row-level deletes. */
    REWRITE_DATA_FILES("rewrite_data_files"),
    /** Compacts position-delete files not absorbed by the data-file rewrite. */
    REWRITE_POSITION_DELETE_FILES("rewrite_position_delete_files"),
    /** Removes snapshots older than the retention threshold. */
    EXPIRE_SNAPSHOTS("expire_snapshots"),
    /** Consolidates small manifests. */
    REWRITE_MANIFESTS("rewrite_manifests"),
    /** Deletes files under the table location that no metadata references. */
    REMOVE_ORPHAN_FILES("remove_orphan_files");

    private static final String VALID_NAMES =
            Arrays.stream(values()).map(MaintenanceAction::wireName).collect(Collectors.joining(", "));

    private final String wireName;

    MaintenanceAction(String wireName) {
        this.wireName = wireName;
    }

    /** The snake_case name used on the wire and in the database. */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name (exact, case-sensitive).
     *
     * @throws InvalidActionException naming the bad value and the valid ones
     */
    public static MaintenanceAction parse(String name) {
        for (MaintenanceAction action : values()) {
            if (action.wireName.equals(name)) {
                return action;
            }
        }
        throw new InvalidActionException("Unknown maintenance action '" + Text.abbreviate(name)
                + "'; valid actions are: " + VALID_NAMES);
    }

    /**
     * Parses wire names, drops duplicates and sorts into canonical order.
     *
     * @throws InvalidRequestException when the list is null or empty
     * @throws InvalidActionException  when a name is unknown, blank or null
     */
    public static List<MaintenanceAction> parseAll(Collection<String> names) {
        return canonicalOf(names, MaintenanceAction::parse);
    }

    /**
     * De-duplicates and sorts actions into canonical order.
     *
     * @throws InvalidRequestException when the collection is null, empty or holds a null
     */
    public static List<MaintenanceAction> canonical(Collection<MaintenanceAction> actions) {
        return canonicalOf(actions, action -> {
            if (action == null) {
                throw new InvalidRequestException("Actions must not contain null; valid actions are: " + VALID_NAMES);
            }
            return action;
        });
    }

    /** The one body of {@link #parseAll} and {@link #canonical}: at least one item, each mapped, de-duplicated. */
    private static <T> List<MaintenanceAction> canonicalOf(Collection<T> items,
            Function<T, MaintenanceAction> toAction) {
        if (items == null || items.isEmpty()) {
            throw new InvalidRequestException("At least one action is required; valid actions are: " + VALID_NAMES);
        }
        EnumSet<MaintenanceAction> set = EnumSet.noneOf(MaintenanceAction.class);
        for (T item : items) {
            set.add(toAction.apply(item));
        }
        return List.copyOf(set);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
