package io.snowpack.examples.reliability;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A maintenance action that takes 50 to 500 ms (tables named {@code slow_*}: {@link #SLOW}), checkpoints five times
 * on the way and once more right before it commits a row to the {@link Ledger}, like an Iceberg commit would.
 */
final class LedgerExecutor implements MaintenanceExecutor {
    static final Duration SLOW = Duration.ofSeconds(8);
    private static final int UNITS = 5;

    private final Ledger ledger;
    private final String worker;

    LedgerExecutor(Ledger ledger, String worker) {
        this.ledger = ledger;
        this.worker = worker;
    }

    @Override
    public ActionResult execute(ActionRequest request, Checkpoint checkpoint) {
        Instant started = Instant.now();
        long total = request.table().table().startsWith("slow_") ? SLOW.toMillis()
                : ThreadLocalRandom.current().nextLong(50, 501);
        for (int unit = 0; unit < UNITS; unit++) {
            sleep(total / UNITS);
            checkpoint.check();
        }
        checkpoint.check();
        try {
            ledger.commit(request.jobId().value(), request.table().key(), request.attempt(), request.fence(), worker,
                    started);
        } catch (SQLException e) {
            throw ActionFailedException.transientFailure("ledger commit failed: " + e.getMessage(), e);
        }
        return ActionResult.succeeded(request.action(), "committed to the ledger after " + total + " ms",
                Duration.between(started, Instant.now()).toMillis() / 1000.0, Map.of("millis", total));
    }

    @Override
    public ActionResult preview(TableId table, MaintenanceAction action) {
        return ActionResult.succeeded(action, "dry run: would commit one ledger row", 0.0, Map.of());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ActionFailedException.transientFailure("interrupted", e);
        }
    }
}
