package io.snowpack.core.policy;

import static io.snowpack.core.model.MaintenanceAction.EXPIRE_SNAPSHOTS;

import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metadata-log rule of {@code expire_snapshots}, read from the two Iceberg properties as Iceberg reads them.
 *
 * <p>Iceberg lists at most {@code write.metadata.previous-versions-max} (default 100, at least 1) earlier metadata
 * files in the current one, and deletes a file that falls off that log at commit only when
 * {@code write.metadata.delete-after-commit.enabled} is {@code true} (default {@code false}; Iceberg reads anything
 * but {@code true} in any case as {@code false}). Files that fell off before the switch was set stay on storage
 * forever: {@code expire_snapshots} deletes them, with the same switch as its opt-in.
 *
 * <p>A log that is not yet full says nothing: no file has fallen off it. A full log
 * ({@code previousMetadataFiles >= previous-versions-max}) with the switch on calls for {@code expire_snapshots}:
 * health reads metadata only, so it cannot see whether files from before the switch remain, and the run finds out
 * (deleting nothing when none remain). A full log with the switch off gives an informational
 * {@code no expire_snapshots: …} reason naming the property: Snowpack would delete nothing, so calling for the
 * action would only make a table with Iceberg's default settings look unhealthy for good.
 */
final class MetadataLogRule {
    private MetadataLogRule() {
    }

    static void check(TableHealth health, Set<MaintenanceAction> actions, List<String> reasons) {
        Map<String, String> properties = health.properties();
        String rawMax = properties.get(TableProperties.ICEBERG_METADATA_PREVIOUS_VERSIONS_MAX);
        int max;
        try {
            max = rawMax == null ? 100 : Math.max(1, Integer.parseInt(rawMax)); // as Iceberg's TableMetadata does
        } catch (NumberFormatException e) {
            reasons.add("no " + EXPIRE_SNAPSHOTS.wireName() + ": "
                    + TableProperties.ICEBERG_METADATA_PREVIOUS_VERSIONS_MAX + "='"
                    + PropertyReader.abbreviate(rawMax) + "' is not a whole number, so the metadata log is not judged");
            return;
        }
        int logged = health.previousMetadataFiles();
        if (logged < max) {
            return;
        }
        String deleteAfterCommit = properties.get(TableProperties.ICEBERG_METADATA_DELETE_AFTER_COMMIT);
        String full = "metadata log full (" + logged + " earlier metadata files >= "
                + TableProperties.ICEBERG_METADATA_PREVIOUS_VERSIONS_MAX + " " + max + ")";
        if (Boolean.parseBoolean(deleteAfterCommit)) {
            actions.add(EXPIRE_SNAPSHOTS);
            reasons.add(EXPIRE_SNAPSHOTS.wireName() + ": " + full + " with "
                    + TableProperties.ICEBERG_METADATA_DELETE_AFTER_COMMIT + "=true: metadata files that fell off the "
                    + "log before it was set may remain, and expire_snapshots deletes them");
        } else {
            reasons.add("no " + EXPIRE_SNAPSHOTS.wireName() + ": " + full + " but "
                    + TableProperties.ICEBERG_METADATA_DELETE_AFTER_COMMIT + "="
                    + (deleteAfterCommit == null ? "false (unset)" : "'" + PropertyReader.abbreviate(deleteAfterCommit)
                    + "'") + ": every earlier metadata file stays on storage and Snowpack deletes none; set it to "
                    + "true to have Iceberg delete those that fall off the log and expire_snapshots those that "
                    + "already did");
        }
    }
}
