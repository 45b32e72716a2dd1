package io.snowpack.iceberg;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.RewriteManifests;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.exceptions.CleanableFailure;
import org.apache.iceberg.util.PropertyUtil;

/**
 * {@code rewrite_manifests}: manifests smaller than the table's target manifest size
 * ({@code commit.manifest.target-size-bytes}) are merged into as few manifests as that size allows, per partition
 * spec, in one commit: data manifests by Iceberg's {@link RewriteManifests}, delete manifests of format v2 tables by
 * {@link DeleteManifestRewrite} (Iceberg does not rewrite them). Manifests are merged only in specs with at least
 * two small ones of their content; with none, nothing is committed. Delete manifests this action wrote are deleted
 * again when the commit fails cleanly or the checkpoint stops it before the commit.
 */
final class ManifestCompaction {
    private ManifestCompaction() {
    }

    /** The small data manifests of the current snapshot in partition specs that have at least two of them. */
    static List<ManifestFile> smallDataManifests(Table table) {
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return List.of();
        }
        long target = targetBytes(table);
        Map<Integer, List<ManifestFile>> bySpec = current.allManifests(table.io()).stream()
                .filter(m -> m.content() == ManifestContent.DATA && m.length() < target)
                .collect(Collectors.groupingBy(ManifestFile::partitionSpecId));
        return bySpec.values().stream().filter(manifests -> manifests.size() >= 2).flatMap(List::stream).toList();
    }

    static ActionResult preview(Table table) {
        long count = smallDataManifests(table).size();
        long deletes = countOf(DeleteManifestRewrite.candidates(table, targetBytes(table)));
        return ActionResult.succeeded(MaintenanceAction.REWRITE_MANIFESTS, "Would merge " + count
                + " small data manifests and " + deletes + " small delete manifests", 0,
                Map.of("manifests_to_merge", count, "delete_manifests_to_merge", deletes));
    }

    static ActionResult execute(Table table, ActionRequest request, Checkpoint checkpoint) {
        long begin = System.nanoTime();
        long target = targetBytes(table);
        List<ManifestFile> small = smallDataManifests(table);
        Map<Integer, List<ManifestFile>> smallDeletes = DeleteManifestRewrite.candidates(table, target);
        if (small.isEmpty() && smallDeletes.isEmpty()) {
            return ActionResult.succeeded(request.action(),
                    "Merged 0 manifests: no spec has two small ones of one content", seconds(begin),
                    Map.of("manifests_in", 0L, "manifests_out", 0L, "delete_manifests_in", 0L,
                            "delete_manifests_out", 0L));
        }
        long dataBefore = dataManifests(table);
        RewriteManifests rewrite = table.rewriteManifests();
        if (!small.isEmpty()) {
            Set<String> chosen = small.stream().map(ManifestFile::path).collect(Collectors.toSet());
            rewrite.rewriteIf(m -> chosen.contains(m.path())).clusterBy(file -> file.specId());
        }
        CommitProperties.of(request).forEach(rewrite::set);
        DeleteManifestRewrite deletes = new DeleteManifestRewrite(table, request, target);
        boolean committing = false;
        try {
            deletes.writeInto(smallDeletes, rewrite);
            checkpoint.check();
            committing = true;
            rewrite.commit();
        } catch (RuntimeException e) {
            if (!committing || e instanceof CleanableFailure) {
                deletes.deleteWritten();
            }
            throw e;
        }
        table.refresh();
        long merged = small.size();
        long written = merged - (dataBefore - dataManifests(table));
        return ActionResult.succeeded(request.action(), "Merged " + merged + " data manifests into " + written
                        + " and " + deletes.replacedCount() + " delete manifests into " + deletes.addedCount(),
                seconds(begin), Map.of("manifests_in", merged, "manifests_out", written,
                        "delete_manifests_in", (long) deletes.replacedCount(),
                        "delete_manifests_out", (long) deletes.addedCount()));
    }

    private static long targetBytes(Table table) {
        return PropertyUtil.propertyAsLong(table.properties(), TableProperties.MANIFEST_TARGET_SIZE_BYTES,
                TableProperties.MANIFEST_TARGET_SIZE_BYTES_DEFAULT);
    }

    private static long dataManifests(Table table) {
        return table.currentSnapshot().allManifests(table.io()).stream()
                .filter(m -> m.content() == ManifestContent.DATA).count();
    }

    private static long countOf(Map<Integer, List<ManifestFile>> bySpec) {
        return bySpec.values().stream().mapToLong(List::size).sum();
    }

    private static double seconds(long begin) {
        return (System.nanoTime() - begin) / 1e9;
    }
}
