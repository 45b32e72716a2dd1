package io.snowpack.core.policy;

import static io.snowpack.core.model.MaintenanceAction.EXPIRE_SNAPSHOTS;
import static io.snowpack.core.model.MaintenanceAction.REMOVE_ORPHAN_FILES;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_DATA_FILES;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_MANIFESTS;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_POSITION_DELETE_FILES;

import io.snowpack.core.model.Counts;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The threshold rules of an eligible table; each rule states its verdict in one sentence. */
final class Thresholds {
    private Thresholds() {
    }

    /** The actions {@code health} calls for under {@code settings}, judged at {@code now}. */
    static Set<MaintenanceAction> actions(TableHealth health, TableSettings settings, Instant now,
            List<String> reasons) {
        Set<MaintenanceAction> actions = EnumSet.noneOf(MaintenanceAction.class);
        check(actions, reasons, REWRITE_DATA_FILES, health.smallFiles() >= settings.minInputFiles(),
                Counts.of(health.smallFiles(), "small file"), "min_input_files " + settings.minInputFiles());
        long deletes = health.positionDeleteFiles() + health.equalityDeleteFiles() + health.deletionVectors();
        check(actions, reasons, REWRITE_DATA_FILES, deletes >= settings.rewriteDataDeleteFileThreshold(),
                deletes + " delete files (" + health.positionDeleteFiles() + " position, "
                        + health.equalityDeleteFiles() + " equality"
                        + (health.deletionVectors() > 0 ? ", " + health.deletionVectors() + " deletion vectors" : "")
                        + ")",
                "rewrite_data_delete_file_threshold " + settings.rewriteDataDeleteFileThreshold());
        if (health.formatVersion() >= 3 && health.positionDeleteFiles() > 0) {
            actions.add(REWRITE_POSITION_DELETE_FILES);
            reasons.add(REWRITE_POSITION_DELETE_FILES + ": " + health.positionDeleteFiles() + " position delete "
                    + "files on a format v" + health.formatVersion() + " table, where Iceberg writes only deletion "
                    + "vectors: they become deletion vectors");
        } else {
            check(actions, reasons, REWRITE_POSITION_DELETE_FILES,
                    health.positionDeleteFiles() >= settings.deleteFileThreshold(),
                    health.positionDeleteFiles() + " position delete files",
                    "delete_file_threshold " + settings.deleteFileThreshold());
        }
        expiry(health, settings, now, actions, reasons);
        MetadataLogRule.check(health, actions, reasons);
        if (health.dataManifests() > MaintenancePolicy.REWRITE_MANIFESTS_THRESHOLD) {
            actions.add(REWRITE_MANIFESTS);
            reasons.add("rewrite_manifests: " + Counts.of(health.dataManifests(), "data manifest") + " > "
                    + MaintenancePolicy.REWRITE_MANIFESTS_THRESHOLD);
        } else {
            reasons.add("no rewrite_manifests: " + Counts.of(health.dataManifests(), "data manifest") + " <= "
                    + MaintenancePolicy.REWRITE_MANIFESTS_THRESHOLD);
        }
        requestedByHealth(health, actions, reasons);
        if (actions.contains(EXPIRE_SNAPSHOTS) && actions.add(REMOVE_ORPHAN_FILES)) {
            reasons.add("remove_orphan_files: follows expire_snapshots");
        }
        return actions;
    }

    private static void check(Set<MaintenanceAction> actions, List<String> reasons, MaintenanceAction action,
            boolean crossed, String measured, String threshold) {
        if (crossed) {
            actions.add(action);
            reasons.add(action + ": " + measured + " >= " + threshold);
        } else {
            reasons.add("no " + action + ": " + measured + " < " + threshold);
        }
    }

    private static void expiry(TableHealth health, TableSettings settings, Instant now,
            Set<MaintenanceAction> actions, List<String> reasons) {
        if (health.oldestSnapshotAt() == null) {
            reasons.add("no " + EXPIRE_SNAPSHOTS + ": the table has no snapshots");
            return;
        }
        Duration age = Duration.between(health.oldestSnapshotAt(), now);
        boolean old = age.compareTo(settings.maxSnapshotAge()) > 0;
        boolean many = health.snapshots() > settings.minSnapshotsToKeep();
        String ageText = "oldest snapshot " + Durations.human(age) + " old " + (old ? ">" : "<=")
                + " max snapshot age " + Durations.human(settings.maxSnapshotAge());
        String countText = Counts.of(health.snapshots(), "snapshot") + " " + (many ? ">" : "<=") + " min_snapshots_to_keep "
                + settings.minSnapshotsToKeep();
        if (old && many) {
            actions.add(EXPIRE_SNAPSHOTS);
            reasons.add(EXPIRE_SNAPSHOTS + ": " + ageText + ", and " + countText);
        } else {
            reasons.add("no " + EXPIRE_SNAPSHOTS + ": " + (old ? countText : ageText));
        }
    }

    /** A health reason {@code "<action>: …"} asks for that action (what only the table source can measure). */
    private static void requestedByHealth(TableHealth health, Set<MaintenanceAction> actions, List<String> reasons) {
        for (String reason : health.reasons()) {
            for (MaintenanceAction action : MaintenanceAction.values()) {
                if (reason.startsWith(action.wireName() + ":")) {
                    actions.add(action);
                    reasons.add(action + ": requested by the table's health (" + reason + ")");
                }
            }
        }
    }
}
