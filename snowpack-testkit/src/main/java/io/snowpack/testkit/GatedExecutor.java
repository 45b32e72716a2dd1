package io.snowpack.testkit;

import io.snowpack.core.ActionFailedException;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import io.snowpack.core.spi.MaintenanceExecutor;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test executor for worker tests. Each action checkpoints, works in {@code units} units with a checkpoint
 * between them, and "commits" (records the commit) after a final checkpoint. Tables can be held at a gate
 * mid-action, made to fail transiently a number of times, fail permanently, or find one action's catalog
 * unreachable a number of times.
 */
public final class GatedExecutor implements MaintenanceExecutor {
    private final Map<TableId, Semaphore> gates = new ConcurrentHashMap<>();
    private final Map<TableId, CountDownLatch> arrivals = new ConcurrentHashMap<>();
    private final Map<TableId, AtomicInteger> transientFailures = new ConcurrentHashMap<>();
    private final Set<TableId> permanentFailures = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> outages = new ConcurrentHashMap<>();
    private final Map<TableId, Semaphore> commitGates = new ConcurrentHashMap<>();
    private final Map<TableId, CountDownLatch> commitArrivals = new ConcurrentHashMap<>();
    private final List<String> commits = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final int units;

    public GatedExecutor(int units) {
        this.units = units;
    }

    /** Actions on {@code table} stop after their first unit until {@link #open(TableId)}. */
    public GatedExecutor hold(TableId table) {
        gates.put(table, new Semaphore(0));
        arrivals.put(table, new CountDownLatch(1));
        return this;
    }

    /** Waits until an action on {@code table} reached its gate. */
    public void awaitArrival(TableId table) throws InterruptedException {
        if (!arrivals.get(table).await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no action reached the gate of " + table);
        }
    }

    public void open(TableId table) {
        gates.get(table).release(Integer.MAX_VALUE / 2);
    }

    /**
     * Actions on {@code table} pass their last checkpoint and then wait, as a commit held by a slow catalog does,
     * until {@link #openCommit(TableId)}; the commit then happens whatever became of the fence meanwhile.
     */
    public GatedExecutor holdCommit(TableId table) {
        commitGates.put(table, new Semaphore(0));
        commitArrivals.put(table, new CountDownLatch(1));
        return this;
    }

    /** Waits until an action on {@code table} is in its held commit. */
    public void awaitCommit(TableId table) throws InterruptedException {
        if (!commitArrivals.get(table).await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no action reached the commit of " + table);
        }
    }

    public void openCommit(TableId table) {
        commitGates.get(table).release(Integer.MAX_VALUE / 2);
    }

    /** The next {@code times} actions on {@code table} fail transiently. */
    public GatedExecutor failTransiently(TableId table, int times) {
        transientFailures.put(table, new AtomicInteger(times));
        return this;
    }

    /**
     * The next {@code times} runs of {@code action} on {@code table} cannot reach the catalog: they fail
     * {@link ActionFailedException#unavailable unavailable} before any unit of work, as a refused connection does.
     */
    public GatedExecutor unreachable(TableId table, MaintenanceAction action, int times) {
        outages.put(table + " " + action, new AtomicInteger(times));
        return this;
    }

    public GatedExecutor failPermanently(TableId table) {
        permanentFailures.add(table);
        return this;
    }

    /** Every commit made, as {@code "job_id action attempt fence"}. */
    public List<String> commits() {
        return List.copyOf(commits);
    }

    /** The most actions that ran at the same moment so far. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    @Override
    public ActionResult execute(ActionRequest request, Checkpoint checkpoint) {
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            return run(request, checkpoint);
        } finally {
            running.decrementAndGet();
        }
    }

    private ActionResult run(ActionRequest request, Checkpoint checkpoint) {
        AtomicInteger outage = outages.get(request.table() + " " + request.action());
        if (outage != null && outage.getAndDecrement() > 0) {
            throw ActionFailedException.unavailable(request.action().wireName() + " failed: ConnectException: "
                    + "Connection refused", new ConnectException("Connection refused"));
        }
        for (int unit = 0; unit < units; unit++) {
            checkpoint.check();
            if (unit == 0 && gates.containsKey(request.table())) {
                arrivals.get(request.table()).countDown();
                gates.get(request.table()).acquireUninterruptibly();
            }
        }
        AtomicInteger failures = transientFailures.get(request.table());
        if (failures != null && failures.getAndDecrement() > 0) {
            throw ActionFailedException.transientFailure("commit conflict on " + request.table(), null);
        }
        if (permanentFailures.contains(request.table())) {
            throw ActionFailedException.permanentFailure("corrupt manifest in " + request.table(), null);
        }
        checkpoint.check();
        if (commitGates.containsKey(request.table())) {
            commitArrivals.get(request.table()).countDown();
            commitGates.get(request.table()).acquireUninterruptibly();
        }
        commits.add(request.jobId() + " " + request.action() + " " + request.attempt() + " " + request.fence());
        return ActionResult.succeeded(request.action(), "did " + request.action(), 0.01, Map.of("units", (long) units));
    }

    @Override
    public Optional<ActionResult> committedBy(ActionRequest request) {
        String prefix = request.jobId() + " " + request.action() + " " + request.attempt() + " ";
        return commits.stream().filter(c -> c.startsWith(prefix)).findFirst()
                .map(c -> ActionResult.succeeded(request.action(), "committed " + c, 0, Map.of()));
    }

    @Override
    public ActionResult preview(TableId table, MaintenanceAction action) {
        return ActionResult.succeeded(action, "dry run", 0, Map.of());
    }
}
