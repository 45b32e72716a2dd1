package io.snowpack.benchmarks.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The table of a {@link SparkCompactionBenchmark} run, from the lines its trials appended to the results file
 * (first argument, else system property {@code sparkbench.results}, else {@code spark-compaction-results.tsv}):
 * rows, MB of input, engine, seconds per compaction, rows/s and MB/s, and for each size how Spark compares with
 * plain Java. The figures are the median of a trial's operations after the first (JMH's warm-up), with the minimum
 * and maximum of all of them, which shows how disturbed the run was on a shared machine.
 */
public final class SparkCompactionReport {
    private SparkCompactionReport() {
    }

    /** One trial's line. */
    record Trial(String engine, String master, long rows, int files, int partitions, long inputBytes, int operations,
            double meanSeconds, double minSeconds, double maxSeconds, int cpus, List<Double> opSeconds) {
        static Trial parse(String line) {
            String[] f = line.split("\t");
            return new Trial(f[0], f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    Long.parseLong(f[5]), Integer.parseInt(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]),
                    Double.parseDouble(f[9]), Integer.parseInt(f[10]), f.length < 12 ? List.of()
                    : java.util.Arrays.stream(f[11].split(",")).map(Double::valueOf).toList());
        }

        /** The median of every operation but the first (cold: JIT, first Spark job of the table); else the mean. */
        double medianSeconds() {
            if (opSeconds.size() < 2) {
                return meanSeconds;
            }
            List<Double> warm = new ArrayList<>(opSeconds.subList(1, opSeconds.size()));
            warm.sort(null);
            int n = warm.size();
            return n % 2 == 1 ? warm.get(n / 2) : (warm.get(n / 2 - 1) + warm.get(n / 2)) / 2;
        }
    }

    public static void main(String[] args) throws IOException {
        Path file = Paths.get(args.length > 0 ? args[0]
                : System.getProperty(SparkCompactionBenchmark.RESULTS_PROPERTY, SparkCompactionBenchmark.RESULTS_DEFAULT));
        List<Trial> trials = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                trials.add(Trial.parse(line));
            }
        }
        System.out.print(markdown(trials));
    }

    static String markdown(List<Trial> trials) {
        List<Trial> sorted = new ArrayList<>(trials);
        sorted.sort(Comparator.comparingLong(Trial::rows).thenComparing(Trial::engine));
        StringBuilder out = new StringBuilder();
        out.append("| rows | MB in | engine | ops | s (median) | s (min) | s (max) | rows/s (median) | MB/s (median) |\n");
        out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        Map<Long, Map<String, Trial>> bySize = new TreeMap<>();
        for (Trial t : sorted) {
            double mb = t.inputBytes() / 1e6;
            String engine = t.engine().equals("spark") ? "spark " + t.master() : t.engine();
            double median = t.medianSeconds();
            out.append(String.format(Locale.ROOT, "| %,d | %.1f | %s | %d | %.2f | %.2f | %.2f | %,.0f | %.1f |%n",
                    t.rows(), mb, engine, t.operations(), median, t.minSeconds(), t.maxSeconds(), t.rows() / median,
                    mb / median));
            bySize.computeIfAbsent(t.rows(), k -> new TreeMap<>()).put(t.engine(), t);
        }
        out.append("\n| rows | spark s / local s (median) | (min) |\n|---:|---:|---:|\n");
        bySize.forEach((rows, engines) -> {
            Trial local = engines.get("local");
            Trial spark = engines.get("spark");
            if (local != null && spark != null) {
                out.append(String.format(Locale.ROOT, "| %,d | %.2f | %.2f |%n", rows,
                        spark.medianSeconds() / local.medianSeconds(), spark.minSeconds() / local.minSeconds()));
            }
        });
        return out.toString();
    }
}
