package io.snowpack.benchmarks;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link ClaimThroughputBenchmark} through the JMH runner (all JMH command-line options work, e.g.
 * {@code -f 1 -wi 1 -w 5s -i 3 -r 5s -p backend=postgres}) and prints the results as Markdown tables: jobs per
 * second by backend × batch × threads, and the Snowpack-on-PostgreSQL / raw-JDBC ratio.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.snowpack.benchmarks.ClaimReport -f 1 -wi 1 -w 5s -i 3 -r 5s</pre>
 */
public final class ClaimReport {
    private static final String BASELINE = "raw JDBC baseline (PostgreSQL)";

    private ClaimReport() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions command = new CommandLineOptions(args);
        ChainedOptionsBuilder options = new OptionsBuilder().parent(command);
        if (command.getIncludes().isEmpty()) {
            options.include(ClaimThroughputBenchmark.class.getSimpleName());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.print(markdown(results));
    }

    /** backend → batch → threads → result of the {@code jobs} counter. */
    static String markdown(Collection<RunResult> results) {
        Map<String, Map<Integer, Map<Integer, Result<?>>>> jobs = new TreeMap<>(ClaimReport::backendOrder);
        TreeSet<Integer> threadCounts = new TreeSet<>();
        long emptyClaims = 0;
        for (RunResult run : results) {
            var params = run.getParams();
            String backend = params.getBenchmark().contains("rawJdbcBaseline") ? BASELINE : params.getParam("backend");
            int batch = Integer.parseInt(params.getParam("batch"));
            Result<?> result = run.getSecondaryResults().get("jobs");
            Result<?> empty = run.getSecondaryResults().get("empty");
            if (result == null) {
                continue;
            }
            if (empty != null && empty.getScore() > 0) {
                emptyClaims++;
            }
            threadCounts.add(params.getThreads());
            jobs.computeIfAbsent(backend, b -> new TreeMap<>()).computeIfAbsent(batch, b -> new TreeMap<>())
                    .put(params.getThreads(), result);
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "JVM: %s %s, %d CPUs%n%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors()));
        out.append("Jobs claimed and completed per second (JMH `jobs` counter, all threads; ± 99.9 % error):\n\n");
        out.append("| backend | batch |");
        threadCounts.forEach(t -> out.append(' ').append(t).append(t == 1 ? " thread |" : " threads |"));
        out.append('\n').append("|---|---:|");
        threadCounts.forEach(t -> out.append("---:|"));
        out.append('\n');
        jobs.forEach((backend, byBatch) -> byBatch.forEach((batch, byThreads) -> {
            out.append("| ").append(backend).append(" | ").append(batch).append(" |");
            for (int t : threadCounts) {
                Result<?> r = byThreads.get(t);
                out.append(' ').append(r == null ? "–" : format(r)).append(" |");
            }
            out.append('\n');
        }));
        Map<Integer, Map<Integer, Result<?>>> snowpack = jobs.get("postgres");
        Map<Integer, Map<Integer, Result<?>>> baseline = jobs.get(BASELINE);
        if (snowpack != null && baseline != null) {
            out.append("\nSnowpack on PostgreSQL / raw JDBC baseline (same server, same run):\n\n| batch |");
            threadCounts.forEach(t -> out.append(' ').append(t).append(t == 1 ? " thread |" : " threads |"));
            out.append('\n').append("|---:|");
            threadCounts.forEach(t -> out.append("---:|"));
            out.append('\n');
            snowpack.forEach((batch, byThreads) -> {
                out.append("| ").append(batch).append(" |");
                for (int t : threadCounts) {
                    Result<?> s = byThreads.get(t);
                    Result<?> b = baseline.getOrDefault(batch, Map.of()).get(t);
                    out.append(' ').append(s == null || b == null ? "–"
                            : String.format(Locale.ROOT, "%.0f %%", 100 * s.getScore() / b.getScore())).append(" |");
                }
                out.append('\n');
            });
        }
        out.append(emptyClaims == 0 ? "\nNo claim found the queue empty.\n"
                : "\nWARNING: in " + emptyClaims + " configuration(s) some claims found the queue empty.\n");
        return out.toString();
    }

    private static String format(Result<?> r) {
        double error = r.getScoreError();
        return Double.isNaN(error) || error == 0
                ? String.format(Locale.ROOT, "%,.0f", r.getScore())
                : String.format(Locale.ROOT, "%,.0f ± %,.0f", r.getScore(), error);
    }

    private static int backendOrder(String a, String b) {
        List<String> order = List.of("memory", "h2", "postgres", BASELINE);
        int ia = order.indexOf(a);
        int ib = order.indexOf(b);
        return ia >= 0 && ib >= 0 ? Integer.compare(ia, ib) : a.compareTo(b);
    }
}
