package io.snowpack.testkit;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An executor for core tests (core knows no Iceberg): previews describe the action, executions call the
 * checkpoint once and succeed, and chosen actions fail. Records every call.
 */
public final class ScriptedExecutor implements MaintenanceExecutor {
    private final Set<MaintenanceAction> failing = EnumSet.noneOf(MaintenanceAction.class);
    private final List<String> calls = new CopyOnWriteArrayList<>();

    /** Makes {@code action} fail from now on, in previews and executions. */
    public ScriptedExecutor failing(MaintenanceAction action) {
        failing.add(action);
        return this;
    }

    /** Every call so far, as {@code "preview action table"} or {@code "execute action table"}. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public ActionResult execute(ActionRequest request, Checkpoint checkpoint) {
        calls.add("execute " + request.action() + " " + request.table());
        checkpoint.check();
        if (failing.contains(request.action())) {
            throw ActionFailedException.permanentFailure("scripted failure of " + request.action(), null);
        }
        return ActionResult.succeeded(request.action(), "executed " + request.action(), 0.5, Map.of("files", 3L));
    }

    @Override
    public ActionResult preview(TableId table, MaintenanceAction action) {
        calls.add("preview " + action + " " + table);
        if (failing.contains(action)) {
            throw ActionFailedException.permanentFailure("cannot read " + table, null);
        }
        return ActionResult.succeeded(action, "dry run: would " + action + " on " + table, 0.0,
                Map.of("files_to_rewrite", 42L));
    }
}
