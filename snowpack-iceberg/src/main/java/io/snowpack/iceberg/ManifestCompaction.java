package io.snowpack.iceberg;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.RewriteManifests;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.util.PropertyUtil;

/**
 * {@code rewrite_manifests}: data manifests smaller than the table's target manifest size
 * ({@code commit.manifest.target-size-bytes}) are merged into as few manifests as that size allows, per partition
 * spec. Delete manifests are left alone (Iceberg does not rewrite them). Nothing happens with fewer than two small
 * manifests.
 */
final class ManifestCompaction {
    private ManifestCompaction() {
    }

    static List<ManifestFile> smallDataManifests(Table table) {
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return List.of();
        }
        long target = PropertyUtil.propertyAsLong(table.properties(), TableProperties.MANIFEST_TARGET_SIZE_BYTES,
                TableProperties.MANIFEST_TARGET_SIZE_BYTES_DEFAULT);
        return current.allManifests(table.io()).stream()
                .filter(m -> m.content() == ManifestContent.DATA && m.length() < target).toList();
    }

    static ActionResult preview(Table table) {
        List<ManifestFile> small = smallDataManifests(table);
        long count = small.size() < 2 ? 0 : small.size();
        return ActionResult.succeeded(MaintenanceAction.REWRITE_MANIFESTS, "Would merge " + count
                + " small data manifests", 0, Map.of("manifests_to_merge", count));
    }

    static ActionResult execute(Table table, ActionRequest request, Checkpoint checkpoint) {
        long begin = System.nanoTime();
        List<ManifestFile> small = smallDataManifests(table);
        if (small.size() < 2) {
            return ActionResult.succeeded(request.action(), "Merged 0 manifests: fewer than two small ones",
                    seconds(begin), Map.of("manifests_in", 0L, "manifests_out", 0L));
        }
        long target = PropertyUtil.propertyAsLong(table.properties(), TableProperties.MANIFEST_TARGET_SIZE_BYTES,
                TableProperties.MANIFEST_TARGET_SIZE_BYTES_DEFAULT);
        int before = table.currentSnapshot().allManifests(table.io()).size();
        RewriteManifests rewrite = table.rewriteManifests()
                .rewriteIf(m -> m.content() == ManifestContent.DATA && m.length() < target)
                .clusterBy(file -> file.specId());
        CommitProperties.of(request).forEach(rewrite::set);
        checkpoint.check();
        rewrite.commit();
        table.refresh();
        int after = table.currentSnapshot().allManifests(table.io()).size();
        long merged = small.size();
        long written = merged - (before - after);
        return ActionResult.succeeded(request.action(), "Merged " + merged + " manifests into " + written,
                seconds(begin), Map.of("manifests_in", merged, "manifests_out", written));
    }

    private static double seconds(long begin) {
        return (System.nanoTime() - begin) / 1e9;
    }
}
