package io.snowpack.benchmarks.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's own state code, one small table per engine (a Spark session in {@code local[2]} for the second):
 * the table is written, compacted twice from the same small files (the roll-back works and the rewrite really
 * rewrites each time) and the trial's line lands in the results file. Some 20 seconds, most of it Spark's start.
 */
class SparkCompactionBenchmarkSmokeTest {

    @Test
    void eachEngineCompactsTheSameSmallFilesTwiceAndReports(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.tsv");
        System.setProperty(SparkCompactionBenchmark.RESULTS_PROPERTY, results.toString());
        try {
            for (String engine : List.of("local", "spark")) {
                SparkCompactionBenchmark.Compaction state = new SparkCompactionBenchmark.Compaction();
                state.rows = 20_000;
                state.engine = engine;
                state.files = 12;
                state.partitions = 2;
                state.master = "local[2]";
                state.start();
                try {
                    for (int i = 0; i < 2; i++) {
                        state.rollBack();
                        assertThat(state.catalog.loadTable(state.identifier()).currentSnapshot().snapshotId())
                                .isEqualTo(state.smallFilesSnapshot);
                        assertThat(state.compact()).as("%s seconds", engine).isPositive();
                    }
                    assertThat(state.inputBytes).isPositive();
                } finally {
                    state.stop();
                }
            }
        } finally {
            System.clearProperty(SparkCompactionBenchmark.RESULTS_PROPERTY);
        }
        List<SparkCompactionReport.Trial> trials = Files.readAllLines(results).stream()
                .map(SparkCompactionReport.Trial::parse).toList();
        assertThat(trials).extracting(SparkCompactionReport.Trial::engine).containsExactly("local", "spark");
        assertThat(trials).allSatisfy(t -> assertThat(t.operations()).isEqualTo(2));
        assertThat(SparkCompactionReport.markdown(trials)).contains("| 20,000 |", "| local |", "| spark local[2] |");
    }
}
