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
 * plain Java. Seconds are the minimum of a trial's operations (the least disturbed on a shared machine) and its
 * mean, warm-up included.
 */
public final class SparkCompactionReport {
    private SparkCompactionReport() {
    }

    /** One trial's line. */
    record Trial(String engine, String master, long rows, int files, int partitions, long inputBytes, int operations,
            double meanSeconds, double minSeconds, double maxSeconds, int cpus) {
        static Trial parse(String line) {
            String[] f = line.split("\t");
            return new Trial(f[0], f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    Long.parseLong(f[5]), Integer.parseInt(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]),
                    Double.parseDouble(f[9]), Integer.parseInt(f[10]));
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
        out.append("| rows | MB in | engine | ops | s (min) | s (mean) | rows/s (min s) | MB/s (min s) |\n");
        out.append("|---:|---:|---|---:|---:|---:|---:|---:|\n");
        Map<Long, Map<String, Trial>> bySize = new TreeMap<>();
        for (Trial t : sorted) {
            double mb = t.inputBytes() / 1e6;
            String engine = t.engine().equals("spark") ? "spark " + t.master() : t.engine();
            out.append(String.format(Locale.ROOT, "| %,d | %.1f | %s | %d | %.2f | %.2f | %,.0f | %.1f |%n", t.rows(), mb,
                    engine, t.operations(), t.minSeconds(), t.meanSeconds(), t.rows() / t.minSeconds(),
                    mb / t.minSeconds()));
            bySize.computeIfAbsent(t.rows(), k -> new TreeMap<>()).put(t.engine(), t);
        }
        out.append("\n| rows | spark s / local s (min) | (mean) |\n|---:|---:|---:|\n");
        bySize.forEach((rows, engines) -> {
            Trial local = engines.get("local");
            Trial spark = engines.get("spark");
            if (local != null && spark != null) {
                out.append(String.format(Locale.ROOT, "| %,d | %.2f | %.2f |%n", rows,
                        spark.minSeconds() / local.minSeconds(), spark.meanSeconds() / local.meanSeconds()));
            }
        });
        return out.toString();
    }
}
