package io.snowpack.iceberg;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/** The plain-Java engine: the five actions in this JVM, each rewrite verified from its files before it commits. */
final class LocalEngine implements ActionEngine {
    private final Catalog catalog;
    private final Verification verification;

    LocalEngine(Catalog catalog, Verification verification) {
        this.catalog = catalog;
        this.verification = verification;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public ActionResult run(Table table, ActionRequest request, Checkpoint checkpoint, EngineOptions options) {
        return switch (request.action()) {
            case REWRITE_DATA_FILES -> DanglingDeleteCleanup.afterCompaction(table, request, checkpoint,
                    DataFileCompaction.execute(table, request, checkpoint, options.settings(), verification));
            case REWRITE_POSITION_DELETE_FILES ->
                    PositionDeleteCompaction.execute(table, request, checkpoint, options.settings(), verification);
            case EXPIRE_SNAPSHOTS -> SnapshotExpiry.execute(table, request, checkpoint, options.settings(),
                    options.orphanAge(), options.now());
            case REWRITE_MANIFESTS -> ManifestCompaction.execute(table, request, checkpoint);
            case REMOVE_ORPHAN_FILES -> OrphanCleanup.execute(catalog, request.table(), table, request, checkpoint,
                    options.orphanAge(), options.now());
        };
    }
}
