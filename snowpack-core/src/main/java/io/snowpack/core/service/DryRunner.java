package io.snowpack.core.service;

import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.MaintenanceExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Produces the preview results of a dry run, one per action, through the executor when there is one. */
final class DryRunner {
    static final String NO_EXECUTOR_MESSAGE = "dry run: no executor is configured, so nothing was previewed";

    private final MaintenanceExecutor executor;

    DryRunner(MaintenanceExecutor executor) {
        this.executor = executor;
    }

    List<ActionResult> preview(TableId table, List<MaintenanceAction> actions) {
        List<ActionResult> results = new ArrayList<>(actions.size());
        for (MaintenanceAction action : actions) {
            results.add(previewOne(table, action));
        }
        return results;
    }

    private ActionResult previewOne(TableId table, MaintenanceAction action) {
        if (executor == null) {
            return ActionResult.succeeded(action, NO_EXECUTOR_MESSAGE, 0.0, Map.of());
        }
        long start = System.nanoTime();
        try {
            return executor.preview(table, action);
        } catch (RuntimeException e) {
            String error = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            return ActionResult.failed(action, error, (System.nanoTime() - start) / 1e9, Map.of());
        }
    }

    /** The job-level error when any preview failed. */
    static Optional<String> failureOf(List<ActionResult> previews) {
        return previews.stream()
                .filter(result -> !result.success())
                .findFirst()
                .map(result -> "Dry run of " + result.action().wireName() + " failed: " + result.error());
    }
}
