package io.snowpack.iceberg;

import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.BaseDVFileWriter;
import org.apache.iceberg.deletes.Deletes;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.exceptions.CleanableFailure;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DeleteSchemaUtil;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.util.CharSequenceMap;
import org.apache.iceberg.util.ContentFileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rewrite_position_delete_files} on a format v3 table: Iceberg accepts only deletion vectors there, so the
 * position-delete files a table kept from format v2 are rewritten into one deletion vector per data file, and
 * removed, in one commit. Which rows a data file loses is taken from Iceberg's own scan planning, so the table reads
 * the same after: a data file that already has a deletion vector ignores position-delete files (the spec has writers
 * merge them into it), so it keeps its vector unchanged; every other live data file gets a vector holding exactly the
 * positions its position-delete files name. Before the commit each vector is read back and compared with what was
 * read; the commit validates from the starting snapshot that no data file it names was removed and no delete file
 * was added meanwhile (a concurrent deletion vector would make two), so a conflict fails cleanly and a retry
 * re-plans. The Puffin file is deleted when the commit fails cleanly or never happens.
 */
final class DeletionVectorConversion {
    private static final Logger LOG = LoggerFactory.getLogger(DeletionVectorConversion.class);
    private static final String ACTION = "rewrite_position_delete_files";

    /** What one conversion did: position-delete files removed, vectors written, positions they hold. */
    record Result(long deleteFilesIn, long vectorsOut, long positions) {
        static final Result NONE = new Result(0, 0, 0);
    }

    private final Table table;
    private final ActionRequest request;
    private final Verification verification;

    DeletionVectorConversion(Table table, ActionRequest request, Verification verification) {
        this.table = table;
        this.request = request;
        this.verification = verification;
    }

    /** The live position-delete files of {@code snapshot} that are not deletion vectors. */
    static List<DeleteFile> positionDeleteFiles(Table table, Snapshot snapshot) {
        List<DeleteFile> files = new ArrayList<>();
        if (snapshot == null) {
            return files;
        }
        for (ManifestFile manifest : snapshot.deleteManifests(table.io())) {
            try (ManifestReader<DeleteFile> reader = ManifestFiles.readDeleteManifest(manifest, table.io(),
                    table.specs())) {
                for (DeleteFile file : reader) {
                    if (file.content() == FileContent.POSITION_DELETES && !ContentFileUtil.isDV(file)) {
                        files.add(file.copyWithoutStats());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read delete manifest " + manifest.path(), e);
            }
        }
        return files;
    }

    /** Converts every position-delete file of the current snapshot; does nothing when there is none. */
    Result run(Checkpoint checkpoint) {
        Snapshot start = table.currentSnapshot();
        List<DeleteFile> parquet = positionDeleteFiles(table, start);
        if (parquet.isEmpty()) {
            return Result.NONE;
        }
        Map<String, DataFile> targets = new HashMap<>();
        Map<String, DeleteFile> read = new LinkedHashMap<>();
        Map<String, Set<String>> readersOf = new HashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(start.snapshotId()).planFiles()) {
            for (FileScanTask task : tasks) {
                if (task.deletes().stream().anyMatch(ContentFileUtil::isDV)) {
                    continue;
                }
                for (DeleteFile deletes : task.deletes()) {
                    if (deletes.content() == FileContent.POSITION_DELETES) {
                        targets.put(task.file().location(), task.file());
                        read.putIfAbsent(deletes.location(), deletes);
                        readersOf.computeIfAbsent(deletes.location(), k -> new HashSet<>())
                                .add(task.file().location());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, PositionDeleteIndex> expected = new HashMap<>();
        for (DeleteFile deletes : read.values()) {
            Set<String> readers = readersOf.get(deletes.location());
            for (Map.Entry<CharSequence, PositionDeleteIndex> entry : positionsOf(deletes).entrySet()) {
                String path = entry.getKey().toString();
                if (readers.contains(path)) {
                    expected.computeIfAbsent(path, p -> Deletes.toPositionIndex(CloseableIterable.empty()))
                            .merge(entry.getValue());
                }
            }
        }
        checkpoint.check();
        List<DeleteFile> vectors = write(expected, targets);
        try {
            verify(vectors, expected, targets);
            checkpoint.check();
        } catch (RuntimeException e) {
            deletePuffin(vectors);
            throw e;
        }
        commit(start, parquet, vectors, targets.keySet());
        long positions = expected.values().stream().mapToLong(PositionDeleteIndex::cardinality).sum();
        LOG.info("Rewrote {} position-delete files of {} into {} deletion vectors ({} positions)", parquet.size(),
                table.name(), vectors.size(), positions);
        return new Result(parquet.size(), vectors.size(), positions);
    }

    private CharSequenceMap<PositionDeleteIndex> positionsOf(DeleteFile deletes) {
        Schema pathPos = DeleteSchemaUtil.pathPosSchema();
        try (CloseableIterable<Record> rows = FormatModelRegistry.<Record, Schema>readBuilder(deletes.format(),
                Record.class, table.io().newInputFile(deletes.location())).project(pathPos).build()) {
            return Deletes.toPositionIndexes(rows, deletes);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + deletes.location() + " failed", e);
        }
    }

    private List<DeleteFile> write(Map<String, PositionDeleteIndex> expected, Map<String, DataFile> targets) {
        BaseDVFileWriter writer = new BaseDVFileWriter(
                OutputFiles.factory(table, request, "dv", 0, 2, FileFormat.PUFFIN), path -> null);
        try {
            try (writer) {
                for (Map.Entry<String, PositionDeleteIndex> entry : expected.entrySet()) {
                    DataFile target = targets.get(entry.getKey());
                    writer.delete(target.location(), entry.getValue(), table.specs().get(target.specId()),
                            target.partition());
                }
            }
        } catch (NoOverwriteFileIO.PathAlreadyExists e) {
            throw fail(Invariant.NEW_OUTPUT_PATHS, e.getMessage() + "; a rewrite never replaces a file");
        } catch (IOException e) {
            throw new UncheckedIOException("Writing deletion vectors failed", e);
        }
        return writer.result().deleteFiles();
    }

    /** Reads every vector back: one per data file that needs one, in its spec and partition, holding what was read. */
    private void verify(List<DeleteFile> vectors, Map<String, PositionDeleteIndex> expected,
            Map<String, DataFile> targets) {
        long begin = System.nanoTime();
        try {
            BaseDeleteLoader loader = new BaseDeleteLoader(file -> table.io().newInputFile(file.location()));
            Set<String> covered = new HashSet<>();
            for (DeleteFile vector : vectors) {
                String path = vector.referencedDataFile();
                DataFile target = path == null ? null : targets.get(path);
                if (target == null || !covered.add(path)) {
                    throw fail(Invariant.DELETES_PRESERVED, "deletion vector at offset " + vector.contentOffset()
                            + " of " + vector.location() + " names " + path + ", which "
                            + (target == null ? "needs no new vector" : "already has one"));
                }
                PartitionSpec spec = table.specs().get(target.specId());
                Comparator<StructLike> samePartition = Comparators.forType(spec.partitionType());
                if (vector.specId() != target.specId()
                        || (spec.isPartitioned() && samePartition.compare(vector.partition(), target.partition()) != 0)) {
                    throw fail(Invariant.DELETE_PARTITION, "the deletion vector of " + path + " is in spec "
                            + vector.specId() + ", not in the spec and partition of its data file");
                }
                PositionDeleteIndex want = expected.get(path);
                PositionDeleteIndex got = loader.loadPositionDeletes(List.of(vector), path);
                long[] missing = {0};
                got.forEach(pos -> {
                    if (!want.isDeleted(pos)) {
                        missing[0]++;
                    }
                });
                if (got.cardinality() != want.cardinality() || missing[0] > 0
                        || vector.recordCount() != want.cardinality()) {
                    throw fail(Invariant.DELETES_PRESERVED, "the deletion vector of " + path + " holds "
                            + got.cardinality() + " positions (" + missing[0] + " never deleted, record count "
                            + vector.recordCount() + "), but its position-delete files delete "
                            + want.cardinality());
                }
            }
            if (covered.size() != expected.size()) {
                throw fail(Invariant.DELETES_PRESERVED, expected.size() + " data files lose rows to position-delete "
                        + "files, but " + covered.size() + " deletion vectors were written");
            }
        } finally {
            verification.metrics().timed(ACTION, "pre_commit", System.nanoTime() - begin);
        }
    }

    private void commit(Snapshot start, List<DeleteFile> parquet, List<DeleteFile> vectors, Set<String> targets) {
        RowDelta delta = table.newRowDelta()
                .validateFromSnapshot(start.snapshotId())
                .validateDataFilesExist(targets)
                .validateDeletedFiles()
                .validateNoConflictingDeleteFiles();
        vectors.forEach(delta::addDeletes);
        parquet.forEach(delta::removeDeletes);
        CommitProperties.of(request).forEach(delta::set);
        try {
            delta.commit();
        } catch (RuntimeException e) {
            if (e instanceof CleanableFailure) {
                deletePuffin(vectors);
            }
            throw e;
        }
    }

    private void deletePuffin(List<DeleteFile> vectors) {
        vectors.stream().map(DeleteFile::location).distinct().forEach(location -> {
            try {
                table.io().deleteFile(location);
            } catch (RuntimeException e) {
                LOG.warn("Cannot delete uncommitted deletion vectors {}; orphan removal will", location, e);
            }
        });
    }

    private VerificationFailedException fail(Invariant invariant, String detail) {
        return verification.metrics().failed(ACTION, invariant.broken(ACTION, detail));
    }
}
