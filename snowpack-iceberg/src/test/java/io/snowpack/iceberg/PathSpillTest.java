package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link PathSpill}: sorted, distinct, first spelling wins, many runs merged, temporary files always deleted. */
class PathSpillTest {
    private static final long TINY_BUDGET = 4_000;

    @Test
    void manyRunsReadBackSortedAndDistinctWithTheFirstSpellingOfEachPath() throws IOException {
        Random random = new Random(7);
        TreeMap<String, String> expected = new TreeMap<>();
        int maxRuns = 0;
        List<String> seen;
        try (PathSpill spill = new PathSpill("spilltest-a", TINY_BUDGET)) {
            for (int i = 0; i < 30_000; i++) {
                String path = "/warehouse/t/data/f-" + random.nextInt(20_000) + ".parquet";
                String location = "file:" + path + "#" + i;
                spill.add(path, location, i);
                expected.putIfAbsent(path, location);
                maxRuns = Math.max(maxRuns, spill.runs());
            }
            assertThat(spill.runs()).as("runs on disk").isPositive();
            seen = new ArrayList<>();
            List<String> locations = new ArrayList<>();
            try (PathSpill.Cursor cursor = spill.sorted()) {
                cursor.forEachRemaining(e -> {
                    seen.add(e.path());
                    locations.add(e.location());
                });
            }
            assertThat(seen).containsExactlyElementsOf(expected.keySet());
            assertThat(locations).containsExactlyElementsOf(expected.values());
        }
        assertThat(maxRuns).as("runs are merged before there are too many").isLessThanOrEqualTo(PathSpill.MAX_RUNS);
        assertThat(temporaryFiles("spilltest-a")).isEmpty();
    }

    @Test
    void joinSplitsTheLeftSideIntoOnlyLeftAndInBoth() throws IOException {
        List<String> onlyLeft = new ArrayList<>();
        List<String> inBoth = new ArrayList<>();
        try (PathSpill left = new PathSpill("spilltest-b", TINY_BUDGET);
                PathSpill right = new PathSpill("spilltest-b", TINY_BUDGET)) {
            for (int i = 0; i < 5_000; i++) {
                left.add(key(i), key(i), -1);
                if (i % 3 == 0) {
                    right.add(key(i), key(i), -1);
                }
                right.add(key(i) + "x", key(i), -1); // only on the right: never reported
            }
            PathSpill.join(left, right, e -> onlyLeft.add(e.path()), e -> inBoth.add(e.path()));
        }
        assertThat(inBoth).hasSize(1_667).allMatch(p -> Integer.parseInt(p.substring(2)) % 3 == 0);
        assertThat(onlyLeft).hasSize(3_333).noneMatch(p -> Integer.parseInt(p.substring(2)) % 3 == 0);
        assertThat(temporaryFiles("spilltest-b")).isEmpty();
    }

    @Test
    void aFailureWhileReadingStillDeletesTheRuns() throws IOException {
        assertThatThrownBy(() -> {
            try (PathSpill spill = new PathSpill("spilltest-c", TINY_BUDGET)) {
                for (int i = 0; i < 1_000; i++) {
                    spill.add(key(i), key(i), -1);
                }
                try (PathSpill.Cursor cursor = spill.sorted()) {
                    cursor.next();
                    assertThat(temporaryFiles("spilltest-c")).isNotEmpty();
                    throw new IllegalStateException("the consumer failed");
                }
            }
        }).hasMessage("the consumer failed");
        assertThat(temporaryFiles("spilltest-c")).isEmpty();
    }

    private static String key(int i) {
        return "/k" + i;
    }

    private static List<Path> temporaryFiles(String purpose) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("snowpack-" + purpose + "-")).toList();
        }
    }
}
