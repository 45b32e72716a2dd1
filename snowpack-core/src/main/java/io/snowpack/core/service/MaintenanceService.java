package io.snowpack.core.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.Job;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.JobQuery;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.OrchestratorRun;
import io.snowpack.core.model.TableId;
import io.snowpack.core.policy.MaintenancePlan;
import io.snowpack.core.policy.MaintenancePolicy;
import io.snowpack.core.spi.MaintenanceExecutor;
import io.snowpack.core.spi.OrchestratorRunLog;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Submits, inspects and cancels maintenance jobs: the operations behind the REST API, usable directly by a
 * host. Thread-safe; every instance over the same store sees the same jobs, locks and drain mode.
 *
 * <pre>{@code
 * MaintenanceService service = MaintenanceService.builder()
 *         .store(InMemoryStore.create())
 *         .config(SnowpackConfig.defaults())
 *         .build();
 * Job job = service.submit(TableId.parse("offer_service.offers"),
 *         List.of(MaintenanceAction.REWRITE_DATA_FILES, MaintenanceAction.EXPIRE_SNAPSHOTS), false);
 * }</pre>
 */
public interface MaintenanceService {
    /**
     * Accepts a maintenance request. Checked in this order: drain mode (503), table in the table cache (404),
     * table lock free (409). A real job then takes the table lock (holder = job id), is stored {@code pending}
     * and queued, all atomically. A dry run takes no lock and no queue row: it completes at once with one
     * preview result per action.
     *
     * @return the stored job
     * @throws io.snowpack.core.DrainModeException           when drain mode is on
     * @throws io.snowpack.core.TableNotFoundException       when the table is not in the table cache (nor, with a
     *                                                       {@linkplain Builder#tableSource table source}, in it)
     * @throws io.snowpack.core.MaintenanceConflictException when another job holds the table's lock
     */
    Job submit(MaintenanceRequest request);

    /** Most requests {@link #submitAll} takes at once. */
    int MAX_BATCH = 1_000;

    /**
     * Accepts many requests at once (the orchestrator's bursts, an operator's fleet-wide run): every real job is
     * locked, stored and queued in one unit of work, so a batch costs a few round trips per table instead of a
     * transaction each. Each request is checked as {@link #submit} checks it, and a refusal (busy table, unknown table)
     * is reported in its {@link Submission}, not thrown; the other requests go ahead. Two requests for one table: the
     * first takes it, the second is refused as busy. Dry runs are previewed one by one, as {@link #submit} does.
     *
     * @return one submission per request, in the requests' order
     * @throws io.snowpack.core.DrainModeException     when drain mode is on (nothing is submitted)
     * @throws io.snowpack.core.InvalidRequestException when there are more than {@link #MAX_BATCH} requests
     * @throws io.snowpack.core.BackendException        when the backend failed (nothing of the batch is stored)
     */
    List<Submission> submitAll(List<MaintenanceRequest> requests);

    /** A manual request for {@code actions} on {@code table}; see {@link #submit(MaintenanceRequest)}. */
    default Job submit(TableId table, Collection<MaintenanceAction> actions, boolean dryRun) {
        return submit(MaintenanceRequest.of(table, actions, dryRun));
    }

    /**
     * @throws io.snowpack.core.JobNotFoundException when no job has the id
     */
    Job get(JobId jobId);

    /**
     * Waits until the job is terminal (completed, failed or cancelled) or {@code timeout} has passed, and returns it
     * as it then is: check {@link Job#status()}. Polls {@link #get} with a backoff from 50 ms to 1 s.
     *
     * @throws io.snowpack.core.JobNotFoundException when no job has the id
     * @throws IllegalStateException                 when the calling thread is interrupted (its flag is kept)
     */
    default Job awaitTerminal(JobId jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 50;
        Job job = get(jobId);
        while (!job.status().isTerminal() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(Math.min(pauseMillis, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for job " + jobId, e);
            }
            pauseMillis = Math.min(1000, pauseMillis * 2);
            job = get(jobId);
        }
        return job;
    }

    /**
     * Cancels a pending or running job: it becomes {@code cancelled}, its queue row is removed (which revokes a
     * running worker's fence) and its table lock is released, atomically.
     *
     * @return the cancelled job
     * @throws io.snowpack.core.JobNotFoundException        when no job has the id
     * @throws io.snowpack.core.JobAlreadyTerminalException when the job is completed, failed or cancelled
     */
    Job cancel(JobId jobId);

    /** Jobs matching the query, newest first. */
    List<Job> list(JobQuery query);

    /**
     * What the orchestrator would do with {@code table} now, and every reason why: the policy's gates (allowed
     * database, opt-in, compaction_skip, cadence) and thresholds judged on the cached health, then what would stop
     * a submission at this moment (drain mode, a job already holding the table's lock).
     *
     * @throws io.snowpack.core.TableNotFoundException when the table is not in the table cache (nor, with a
     *                                                 {@linkplain Builder#tableSource table source}, in it)
     */
    MaintenancePlan plan(TableId table);

    /**
     * The most recent orchestrator runs, newest first.
     *
     * @throws io.snowpack.core.InvalidParameterException when {@code limit} is outside 1 to
     *                                                    {@value OrchestratorRunLog#MAX_LIMIT}
     */
    List<OrchestratorRun> orchestratorRuns(int limit);

    /** {@code true} while new jobs are refused: set in the shared store, or forced on by configuration. */
    boolean drainMode();

    /** Turns drain mode on or off for every process sharing the store. */
    void setDrainMode(boolean enabled);

    /** A builder; {@link Builder#store} is required. */
    static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link MaintenanceService}. */
    final class Builder {
        private SnowpackStore store;
        private MaintenanceExecutor executor;
        private SnowpackConfig config = SnowpackConfig.defaults();
        private MaintenancePolicy policy;
        private MeterRegistry meterRegistry = new CompositeMeterRegistry();
        private TableSource tableSource;

        private Builder() {
        }

        /** The backend holding jobs, locks, the queue and the table cache. Required. */
        public Builder store(SnowpackStore value) {
            store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** The executor that previews dry runs. Optional: without one, a dry run says nothing was previewed. */
        public Builder executor(MaintenanceExecutor value) {
            executor = value;
            return this;
        }

        /** The configuration; defaults to {@link SnowpackConfig#defaults()}. */
        public Builder config(SnowpackConfig value) {
            config = Objects.requireNonNull(value, "config");
            return this;
        }

        /** The policy {@link MaintenanceService#plan} applies; default: {@link MaintenancePolicy#standard}. */
        public Builder policy(MaintenancePolicy value) {
            policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** Where submissions and lock conflicts are counted; default: a no-op registry. */
        public Builder meterRegistry(MeterRegistry value) {
            meterRegistry = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        /**
         * Where a table the cache does not know yet is looked up, once, before {@code submit} or {@code plan}
         * refuses it: its health is read and cached, so a host can submit right after start, before health sync's
         * first pass. A table the source does not know (or cannot read) is still refused with
         * {@link io.snowpack.core.TableNotFoundException}. Optional: without one, only cached tables are known.
         */
        public Builder tableSource(TableSource value) {
            tableSource = value;
            return this;
        }

        /**
         * @throws IllegalStateException when no store was given
         */
        public MaintenanceService build() {
            if (store == null) {
                throw new IllegalStateException("MaintenanceService needs a store: call store(...) before build()");
            }
            return new DefaultMaintenanceService(store, executor, config,
                    policy != null ? policy : MaintenancePolicy.standard(config), meterRegistry, tableSource);
        }
    }
}
