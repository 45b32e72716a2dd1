package io.snowpack.spark;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark jobs of each running action, found by a job tag the action's thread carries, and their cancellation.
 * Iceberg's actions replace the caller's job group with their own for every file group, so a job group cannot
 * name them; a tag set on the calling thread is inherited by the threads Iceberg starts for the action, and so
 * reaches every job. Spark's {@code cancelJobsWithTag} only cancels jobs running at that instant, so once a tag
 * is stopped, a listener also cancels every job that starts later with it.
 */
final class SparkJobs extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger(SparkJobs.class);
    private static final String TAGS_PROPERTY = "spark.job.tags";
    private static final Map<SparkContext, SparkJobs> BY_CONTEXT = new WeakHashMap<>();

    private final SparkContext context;
    private final Map<String, String> stopped = new ConcurrentHashMap<>();

    private SparkJobs(SparkContext context) {
        this.context = context;
    }

    /** The tracker of {@code spark}'s context, registered as its listener on first use. */
    static SparkJobs of(SparkSession spark) {
        SparkContext context = spark.sparkContext();
        synchronized (BY_CONTEXT) {
            return BY_CONTEXT.computeIfAbsent(context, c -> {
                SparkJobs jobs = new SparkJobs(c);
                c.addSparkListener(jobs);
                return jobs;
            });
        }
    }

    /** Tags the calling thread's jobs (and those of threads it starts) with {@code tag} until closed. */
    Tagged tag(String tag) {
        context.addJobTag(tag);
        return () -> {
            context.removeJobTag(tag);
            stopped.remove(tag);
        };
    }

    /** Cancels every running and later job tagged {@code tag}, until the tag is closed. */
    void cancel(String tag, String reason) {
        stopped.put(tag, reason);
        LOG.info("Cancelling the Spark jobs of {}: {}", tag, reason);
        context.cancelJobsWithTag(tag, reason);
    }

    /** The ids of the jobs Spark ran (or runs) with {@code tag}, as far as its status store still knows them. */
    int[] jobIds(String tag) {
        int[] ids = context.statusTracker().getJobIdsForTag(tag);
        Arrays.sort(ids);
        return ids;
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        if (stopped.isEmpty() || start.properties() == null) {
            return;
        }
        String tags = start.properties().getProperty(TAGS_PROPERTY);
        if (tags == null) {
            return;
        }
        for (String tag : Set.of(tags.split(","))) {
            String reason = stopped.get(tag);
            if (reason != null) {
                context.cancelJob(start.jobId(), reason);
                return;
            }
        }
    }

    /** A tag on the calling thread, removed by {@link #close()}. */
    interface Tagged extends AutoCloseable {
        @Override
        void close();
    }
}
