package io.snowpack.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link WorkerEndToEndBenchmark} through the JMH runner (every JMH option works, e.g. {@code -p slots=4}) and
 * prints one Markdown table: jobs per second submit to settle, commits, statements, WAL bytes and CPU time (this JVM's,
 * the PostgreSQL server's) per job, by engine,
 * submit mode and worker slots, with Snowpack's rate over db-scheduler's at the same slots and submit mode.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.snowpack.benchmarks.EndToEndReport</pre>
 */
public final class EndToEndReport {
    private EndToEndReport() {
    }

    public static void main(String[] args) throws Exception {
        Files.deleteIfExists(WorkerEndToEndBenchmark.COSTS);
        CommandLineOptions command = new CommandLineOptions(args);
        ChainedOptionsBuilder options = new OptionsBuilder().parent(command);
        if (command.getIncludes().isEmpty()) {
            options.include(WorkerEndToEndBenchmark.class.getSimpleName());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.print(markdown(results, costs()));
    }

    /** engine/slots/submit → the mean commits and statements per job of the measured iterations. */
    private static Map<String, double[]> costs() throws IOException {
        Map<String, List<double[]>> all = new LinkedHashMap<>();
        if (Files.exists(WorkerEndToEndBenchmark.COSTS)) {
            for (String line : Files.readAllLines(WorkerEndToEndBenchmark.COSTS)) {
                String[] f = line.split("\t");
                all.computeIfAbsent(f[0] + "/" + f[1] + "/" + f[2], k -> new ArrayList<>())
                        .add(new double[] {Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                                f.length > 6 ? Double.parseDouble(f[6]) : Double.NaN,
                                f.length > 8 ? Double.parseDouble(f[7]) : Double.NaN,
                                f.length > 8 ? Double.parseDouble(f[8]) : Double.NaN});
            }
        }
        Map<String, double[]> means = new LinkedHashMap<>();
        // The first line of each configuration is its warm-up iteration: left out.
        all.forEach((key, rows) -> {
            List<double[]> measured = rows.size() > 1 ? rows.subList(1, rows.size()) : rows;
            double[] mean = new double[5];
            for (int i = 0; i < mean.length; i++) {
                int column = i;
                mean[i] = measured.stream().mapToDouble(r -> r[column]).average().orElse(Double.NaN);
            }
            means.put(key, mean);
        });
        return means;
    }

    static String markdown(Collection<RunResult> results, Map<String, double[]> costs) {
        Map<String, Double> rates = new LinkedHashMap<>();
        StringBuilder rows = new StringBuilder();
        for (RunResult run : results) {
            var p = run.getParams();
            rates.put(p.getParam("engine") + "/" + p.getParam("slots") + "/" + p.getParam("submit"),
                    run.getPrimaryResult().getScore());
        }
        for (RunResult run : results) {
            var p = run.getParams();
            String key = p.getParam("engine") + "/" + p.getParam("slots") + "/" + p.getParam("submit");
            double[] cost = costs.getOrDefault(key, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN});
            Double peer = rates.get("dbscheduler/" + p.getParam("slots") + "/" + p.getParam("submit"));
            double rate = run.getPrimaryResult().getScore();
            rows.append(String.format(Locale.ROOT,
                    "| %s | %s | %s | %,.0f ± %,.0f | %.2f | %.1f | %,.0f | %,.0f | %,.0f | %s |%n",
                    p.getParam("engine"), p.getParam("submit"), p.getParam("slots"), rate,
                    run.getPrimaryResult().getScoreError(), cost[0], cost[1], cost[2], cost[3], cost[4],
                    peer == null || p.getParam("engine").equals("dbscheduler") ? "–"
                            : String.format(Locale.ROOT, "%.2f ×", rate / peer)));
        }
        return String.format(Locale.ROOT, "JVM: %s %s, %d CPUs%n%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), Runtime.getRuntime().availableProcessors())
                + "| engine | submit | slots | jobs/s (± 99.9 %) | commits/job | statements/job | WAL bytes/job "
                + "| JVM CPU µs/job | PostgreSQL CPU µs/job | / db-scheduler |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n" + rows;
    }
}
