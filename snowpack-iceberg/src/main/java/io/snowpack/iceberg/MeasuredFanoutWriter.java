package io.snowpack.iceberg;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.PartitioningWriter;
import org.apache.iceberg.util.StructLikeMap;
import org.apache.iceberg.util.StructLikeUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fan-out data writer (one open file per partition, rows in any partition order, like Iceberg's
 * {@code FanoutDataWriter}) that rolls to a new file by <em>measured</em> bytes, so compaction outputs come out near
 * the size asked for.
 *
 * <p>Why: Iceberg's rolling writers roll when the open file's {@code length()} reaches the size asked for, and a
 * Parquet writer's {@code length()} is the bytes already flushed plus the open row group's buffered estimate, which
 * counts values before encoding and compression. Below the row-group size (128 MB by default) the whole file is one
 * open row group, so the estimate is several times the closed file's size: measured on a table of tiny files, a
 * 128 KiB target gave files of 10 % to 30 % of it, which health then counts as small again.
 *
 * <p>How: the closed size of a file is a near-linear function of its rows (pages are encoded and compressed the
 * same way whatever the file's length), so this writer learns the closed bytes per row and rolls each file at the
 * row count that makes it {@link #AIM} × {@code maxFileSize} (with Iceberg's default 1.8 × target maximum, 1.12 ×
 * the target, inside the [0.75, 1.4] × target band that is neither small for health nor over the planner's maximum
 * output size). The bytes per row come from closed files of this writer: from every file it rolled, or, before its
 * first roll, from a probe. A probe is a second writer on a local temporary file that is given the same rows as
 * the first file of a partition opened while nothing is known yet; when the estimate reaches the aim (or
 * {@link #PROBE_LIMIT}, when that is smaller), the probe is closed and its real size measured, then deleted. The
 * probe costs one more encoding of those rows (at most one file's worth, and at most {@link #PROBE_LIMIT}
 * estimated, per partition, once per writer; while it runs it buffers as much memory as the file it shadows) and
 * is never part of the output. The learned bytes per row are
 * shared by the partitions of one writer (one rewrite group). Each partition's last file holds the remainder.
 *
 * <p>Not thread-safe. {@link #result()} is available after {@link #close()}, which closes every open file (they are
 * part of the result) and deletes every probe, also when a write failed.
 */
final class MeasuredFanoutWriter<T> implements PartitioningWriter<T, DataWriteResult> {
    private static final Logger LOG = LoggerFactory.getLogger(MeasuredFanoutWriter.class);
    /** The share of the maximum output size each file aims at. */
    static final double AIM = 0.8;
    /**
     * The estimated length at which a probe is closed and measured, when the aim is larger: enough rows for the
     * bytes per row of full pages, while a large target's probe costs at most this much more encoding and local disk.
     */
    static final long PROBE_LIMIT = 4L * 1024 * 1024;
    /** Rows between two looks at an open file's length when rolling by length. */
    private static final int LENGTH_CHECK_EVERY = 1000;
    /** Rows between two looks at a probing file's estimated length (the look sums every column's buffers). */
    private static final int CHECK_EVERY = 100;

    private final FileWriterFactory<T> writers;
    private final OutputFileFactory files;
    private final long aimBytes;
    private final long probeBytes;
    /** Whether files roll by the writer's own length: when they span many row groups, it is mostly real bytes. */
    private final boolean byLength;
    private final Map<Integer, StructLikeMap<PartitionFiles>> bySpec = new HashMap<>();
    /** Rows written without a partition tuple (an unpartitioned spec), by spec id. */
    private final Map<Integer, PartitionFiles> unpartitioned = new HashMap<>();
    /** The last of those written to: a lookup per row saved on unpartitioned tables. */
    private PartitionFiles lastUnpartitioned;
    private final List<PartitionFiles> all = new ArrayList<>();
    private final List<DataFile> written = new ArrayList<>();
    private final BytesPerRow learned = new BytesPerRow();
    private boolean closed;

    /**
     * A writer of files made by {@code writers} at paths from {@code files}, each aimed at {@link #AIM} ×
     * {@code maxFileSize} bytes once closed.
     */
    MeasuredFanoutWriter(FileWriterFactory<T> writers, OutputFileFactory files, long maxFileSize,
            long rowGroupBytes) {
        this(writers, files, maxFileSize, rowGroupBytes, PROBE_LIMIT);
    }

    /**
     * As above, with probes closed at {@code probeLimit} estimated bytes when the aim is larger. A file aimed at two
     * row groups ({@code rowGroupBytes}, the table's {@code write.parquet.row-group-size-bytes}) or more rolls by the
     * Parquet writer's length, checked every {@value #LENGTH_CHECK_EVERY} rows: all but its open row group are
     * flushed, real bytes, so no probe is needed (and none is paid for on the large files of a default target).
     */
    MeasuredFanoutWriter(FileWriterFactory<T> writers, OutputFileFactory files, long maxFileSize,
            long rowGroupBytes, long probeLimit) {
        if (maxFileSize <= 0 || probeLimit <= 0) {
            throw new IllegalArgumentException("maxFileSize and probeLimit must be > 0, got " + maxFileSize + " and "
                    + probeLimit);
        }
        this.writers = writers;
        this.files = files;
        this.aimBytes = Math.max(1, (long) (maxFileSize * AIM));
        this.probeBytes = Math.min(aimBytes, probeLimit);
        this.byLength = aimBytes >= 2 * rowGroupBytes;
    }

    @Override
    public void write(T row, PartitionSpec spec, StructLike partition) {
        if (closed) {
            throw new IllegalStateException("Writer is closed");
        }
        PartitionFiles target;
        if (partition == null) {
            if (lastUnpartitioned == null || lastUnpartitioned.spec.specId() != spec.specId()) {
                lastUnpartitioned = unpartitioned.computeIfAbsent(spec.specId(), id -> opened(spec, null));
            }
            target = lastUnpartitioned;
        } else {
            StructLikeMap<PartitionFiles> ofSpec = bySpec.computeIfAbsent(spec.specId(),
                    id -> StructLikeMap.create(spec.partitionType()));
            target = ofSpec.get(partition);
            if (target == null) {
                StructLike copy = StructLikeUtil.copy(partition);
                target = opened(spec, copy);
                ofSpec.put(copy, target);
            }
        }
        target.write(row);
    }

    private PartitionFiles opened(PartitionSpec spec, StructLike partition) {
        PartitionFiles partitionFiles = new PartitionFiles(spec, partition);
        all.add(partitionFiles);
        return partitionFiles;
    }

    /** Closes every open file and deletes every probe; the first failure is thrown after all were tried. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (PartitionFiles partition : all) {
            try {
                partition.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The files written, each partition's remainder included. */
    @Override
    public DataWriteResult result() {
        if (!closed) {
            throw new IllegalStateException("Cannot get the result of an unclosed writer");
        }
        return new DataWriteResult(List.copyOf(written));
    }

    /** The closed bytes per row, learned from closed files; unknown until the first probe or roll. */
    private static final class BytesPerRow {
        private long probedBytes;
        private long probedRows;
        private long rolledBytes;
        private long rolledRows;

        boolean known() {
            return rolledRows > 0 || probedRows > 0;
        }

        /** Rows that make a file of {@code bytes} once closed; only when {@link #known()}. */
        long rowsFor(long bytes) {
            double perRow = rolledRows > 0 ? (double) rolledBytes / rolledRows : (double) probedBytes / probedRows;
            return Math.max(1, (long) Math.ceil(bytes / Math.max(perRow, Double.MIN_NORMAL)));
        }

        void probed(long bytes, long rows) {
            probedBytes += bytes;
            probedRows += rows;
        }

        /** A file closed at its aim: closer to the files to come than any probe, so it supersedes them. */
        void rolled(long bytes, long rows) {
            rolledBytes += bytes;
            rolledRows += rows;
        }
    }

    /** The files of one partition: the open one and, while nothing is learned yet, its probe. */
    private final class PartitionFiles {
        private final PartitionSpec spec;
        private final StructLike partition;
        private DataWriter<T> current;
        private String currentLocation;
        private long rows;
        private DataWriter<T> probe;
        private Path probePath;

        PartitionFiles(PartitionSpec spec, StructLike partition) {
            this.spec = spec;
            this.partition = partition;
        }

        void write(T row) {
            if (current == null) {
                open();
            }
            current.write(row);
            rows++;
            if (byLength) {
                if (rows % LENGTH_CHECK_EVERY == 0 && current.length() >= aimBytes) {
                    closeCurrent();
                }
                return;
            }
            if (probe != null) {
                probe.write(row);
                if (learned.known()) {
                    discardProbe(); // another partition's probe or roll answered first
                } else if (rows % CHECK_EVERY == 0 && current.length() >= probeBytes) {
                    finishProbe();
                }
            }
            if (probe == null && learned.known() && rows >= learned.rowsFor(aimBytes)) {
                long closedRows = rows;
                DataFile file = closeCurrent();
                learned.rolled(file.fileSizeInBytes(), closedRows);
            }
        }

        private void open() {
            EncryptedOutputFile file = spec.isUnpartitioned() || partition == null ? files.newOutputFile()
                    : files.newOutputFile(spec, partition);
            current = writers.newDataWriter(file, spec, partition);
            currentLocation = file.encryptingOutputFile().location();
            rows = 0;
            if (!byLength && !learned.known()) {
                startProbe();
            }
        }

        private void startProbe() {
            try {
                probePath = Files.createTempFile("snowpack-size-probe-", ".parquet");
                Files.delete(probePath); // Iceberg's local output file refuses to replace one
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a local file to measure output sizes", e);
            }
            File local = probePath.toFile();
            probe = writers.newDataWriter(EncryptedFiles.plainAsEncryptedOutput(
                    org.apache.iceberg.Files.localOutput(local)), spec, partition);
        }

        private void finishProbe() {
            long estimated = probe.length();
            DataWriter<T> done = probe;
            probe = null;
            try {
                done.close();
                long bytes = done.toDataFile().fileSizeInBytes();
                learned.probed(bytes, rows);
                LOG.debug("Size probe: {} rows estimated at {} bytes are {} bytes closed; aiming files at {} bytes",
                        rows, estimated, bytes, aimBytes);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close the size probe " + probePath, e);
            } finally {
                deleteProbeFile();
            }
        }

        private void discardProbe() {
            DataWriter<T> done = probe;
            probe = null;
            try {
                done.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Closing the size probe {} failed; deleting it", probePath, e);
            } finally {
                deleteProbeFile();
            }
        }

        private void deleteProbeFile() {
            try {
                Files.deleteIfExists(probePath);
            } catch (IOException e) {
                LOG.warn("Cannot delete the local size probe {}", probePath, e);
            }
            probePath = null;
        }

        private DataFile closeCurrent() {
            DataWriter<T> done = current;
            current = null;
            try {
                done.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to close " + currentLocation, e);
            }
            DataFile file = done.toDataFile();
            written.add(file);
            rows = 0;
            return file;
        }

        void close() {
            try {
                if (probe != null) {
                    discardProbe();
                }
            } finally {
                if (current != null) {
                    closeCurrent();
                }
            }
        }
    }
}
