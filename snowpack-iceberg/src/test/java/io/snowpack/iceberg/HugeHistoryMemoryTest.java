package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 5: {@code remove_orphan_files} and {@code expire_snapshots} on a table whose history references
 * 200,000 data files (or {@link #HISTORY_FILES}) run in a child JVM with {@value #HEAP} of heap, and delete exactly the right
 * files. The table is metadata only (data files committed by path, most never written); a few hundred of them,
 * and the orphans, are real empty files (few: without Hadoop's native library, listing the local file system forks
 * a process per file for its permissions). The figures (peak heap, heap after GC, seconds) go to
 * {@code target/memory/huge-history-200000.txt}.
 */
class HugeHistoryMemoryTest {
    /** Data files in the history; {@code -Dsnowpack.memory.history-files=400000} measures a bigger table. */
    static final int HISTORY_FILES = Integer.getInteger("snowpack.memory.history-files", 200_000);
    static final String HEAP = "-Xmx64m";
    private static final int PER_APPEND = 50_000;
    private static final int REAL_REFERENCED = 200;
    private static final int OLD_ORPHANS = 200;
    private static final int YOUNG_ORPHANS = 10;
    private static final TableIdentifier HUGE = TableIdentifier.of("db", "huge");
    private static final Pattern GC_AFTER = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @TempDir
    Path root;

    @Test
    void orphanRemovalAndExpiryOfAHugeHistoryFitInASmallHeapAndDeleteExactlyTheRightFiles()
            throws Exception {
        Path warehouse = root.resolve("warehouse");
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        HadoopCatalog catalog = new HadoopCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize("huge", Map.of(CatalogProperties.WAREHOUSE_LOCATION, warehouse.toUri().toString()));
        catalog.createNamespace(Namespace.of("db"));
        Table table = catalog.createTable(HUGE, Warehouse.SCHEMA, Warehouse.BY_KIND, Map.of("format-version", "2",
                "commit.manifest.target-size-bytes", String.valueOf(1 << 20), "commit.manifest-merge.enabled",
                "false", "snowpack.min_snapshots_to_keep", "1"));
        long buildBegin = System.nanoTime();
        List<String> expiring = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < HISTORY_FILES / PER_APPEND; i++) {
            String kind = i < HISTORY_FILES / PER_APPEND / 2 ? "a" : "b";
            (kind.equals("a") ? expiring : kept).addAll(append(table, kind, i * PER_APPEND, PER_APPEND));
        }
        table.newDelete().deleteFromRowFilter(Expressions.equal("kind", "a")).commit();
        kept.addAll(append(table, "c", 0, 10));
        double buildSeconds = (System.nanoTime() - buildBegin) / 1e9;

        List<Path> real = new ArrayList<>();
        Stream.of(expiring.subList(0, REAL_REFERENCED / 4), kept.subList(kept.size() - 10, kept.size()),
                        kept.subList(0, REAL_REFERENCED)).flatMap(List::stream)
                .forEach(location -> real.add(touch(Path.of(java.net.URI.create(location)), true)));
        Path data = Path.of(java.net.URI.create(table.location())).resolve("data");
        Set<String> oldOrphans = new HashSet<>();
        List<Path> youngOrphans = new ArrayList<>();
        for (int i = 0; i < OLD_ORPHANS; i++) {
            oldOrphans.add(touch(data.resolve("kind=b/stray-" + i + ".parquet"), true).toString());
        }
        for (int i = 0; i < YOUNG_ORPHANS; i++) {
            youngOrphans.add(touch(data.resolve("kind=b/in-flight-" + i + ".parquet"), false));
        }

        Map<String, String> orphans = runBounded(warehouse, "remove_orphan_files", 0, tmp);
        assertThat(orphans).containsEntry("orphan_files_deleted", String.valueOf(OLD_ORPHANS));
        assertThat(deletions("remove_orphan_files")).isEqualTo(oldOrphans);
        assertThat(real).allMatch(Files::exists);
        assertThat(youngOrphans).allMatch(Files::exists);
        assertThat(tmp).isEmptyDirectory();

        Set<String> before = reachable(catalog.loadTable(HUGE));
        assertThat(before.size()).isGreaterThan(HISTORY_FILES);
        Map<String, String> expiry = runBounded(warehouse, "expire_snapshots", 10, tmp);
        Table after = catalog.loadTable(HUGE);
        Set<String> unreachable = new HashSet<>(before);
        unreachable.removeAll(reachable(after));
        Set<String> deleted = deletions("expire_snapshots");

        assertThat(expiry).containsEntry("snapshots_expired", String.valueOf(HISTORY_FILES / PER_APPEND + 1));
        assertThat(after.snapshots()).hasSize(1);
        assertThat(deleted).hasSize(unreachable.size()).isEqualTo(unreachable);
        assertThat(expiring.stream().filter(l -> !deleted.contains(Reachability.normalize(l))).count())
                .as("data files of the expired snapshots left").isZero();
        assertThat(kept.stream().filter(l -> deleted.contains(Reachability.normalize(l))).count())
                .as("live data files deleted").isZero();
        assertThat(expiry).containsEntry("files_deleted", String.valueOf(unreachable.size()));
        assertThat(tmp).isEmptyDirectory();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("history_data_files", HISTORY_FILES);
        figures.put("heap_limit", HEAP);
        figures.put("build_seconds", buildSeconds);
        orphans.forEach((k, v) -> figures.put("orphans." + k, v));
        figures.put("orphans.max_heap_after_gc_mb", maxHeapAfterGc("remove_orphan_files"));
        expiry.forEach((k, v) -> figures.put("expiry." + k, v));
        figures.put("expiry.max_heap_after_gc_mb", maxHeapAfterGc("expire_snapshots"));
        Files.writeString(output("huge-history-" + HISTORY_FILES + ".txt"), figures.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
    }

    /** Commits {@code count} data files of partition {@code kind} by path only; returns their locations. */
    private static List<String> append(Table table, String kind, int first, int count) {
        AppendFiles append = table.newAppend();
        List<String> locations = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            String location = table.location() + "/data/kind=" + kind + "/" + kind + "-" + i + ".parquet";
            DataFile file = DataFiles.builder(table.spec()).withPath(location).withFormat(FileFormat.PARQUET)
                    .withPartitionPath("kind=" + kind).withFileSizeInBytes(1_000).withRecordCount(10).build();
            append.appendFile(file);
            locations.add(location);
        }
        append.commit();
        return locations;
    }

    /** Every content file, manifest and manifest list of every snapshot: the oracle, walked independently. */
    private static Set<String> reachable(Table table) throws IOException {
        Set<String> files = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            files.add(Reachability.normalize(snapshot.manifestListLocation()));
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                if (files.add(Reachability.normalize(manifest.path()))) {
                    try (CloseableIterable<String> paths = ManifestFiles.readPaths(manifest, table.io(), table.specs())) {
                        paths.forEach(p -> files.add(Reachability.normalize(p)));
                    }
                }
            }
        }
        return files;
    }

    /** Runs {@code action} in a child JVM limited to {@link #HEAP}; returns its result figures. */
    private static Map<String, String> runBounded(Path warehouse, String action, int aheadDays, Path tmp)
            throws IOException, InterruptedException {
        Path result = output(action + ".properties");
        Path log = output(action + ".log");
        Files.deleteIfExists(output(action + ".deleted"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, HEAP, "-XX:+UseSerialGC", "-Xlog:gc:file=" + output(action
                + ".gc.log"), "-Djava.io.tmpdir=" + tmp, "-D" + RecordingFileIO.LOG_PROPERTY + "="
                + output(action + ".deleted"), "-cp", System.getProperty("java.class.path"),
                BoundedHeapMaintenance.class.getName(), warehouse.toUri().toString(), "db.huge", action,
                String.valueOf(aheadDays), result.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(action + " did not finish in 3 minutes; see " + log);
        }
        assertThat(process.exitValue()).as("%s under %s; its output: %s", action, HEAP, log).isZero();
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(result)) {
            properties.load(in);
        }
        Map<String, String> figures = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(k -> figures.put(k, properties.getProperty(k)));
        return figures;
    }

    private static Set<String> deletions(String action) throws IOException {
        Path log = output(action + ".deleted");
        if (!Files.exists(log)) {
            return Set.of();
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.map(Reachability::normalize).collect(Collectors.toSet());
        }
    }

    /**
     * The largest heap occupancy right after a collection that collected anything, in MB, from the child's GC log:
     * an upper bound of its live data (a young collection that only promotes leaves garbage in the old generation).
     */
    private static int maxHeapAfterGc(String action) throws IOException {
        int max = 0;
        for (String line : Files.readAllLines(output(action + ".gc.log"))) {
            Matcher m = GC_AFTER.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                max = Math.max(max, Integer.parseInt(m.group(2)));
            }
        }
        return max;
    }

    private static Path touch(Path file, boolean old) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[0]);
            if (old) {
                Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path output(String name) throws IOException {
        return Files.createDirectories(Path.of("target", "memory")).resolve(name);
    }
}
