package io.snowpack.iceberg;

import io.snowpack.core.spi.ActionRequest;
import java.util.UUID;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * Names the files a rewrite writes. Every name carries the job, its attempt and a random id, so no two attempts
 * (and no two runs of the same attempt) ever share a path, and every file is opened create-only
 * ({@link NoOverwriteFileIO}), so a path that exists anyway fails the write instead of replacing the file.
 */
final class OutputFiles {
    private OutputFiles() {
    }

    /** A factory for one writer task of one action run; {@code kind} tells data from delete files apart. */
    static OutputFileFactory factory(Table table, ActionRequest request, String kind, int partitionId, long taskId) {
        return factory(table, request, kind, partitionId, taskId, FileFormat.PARQUET);
    }

    /** The same, for files of {@code format} (Puffin for deletion vectors). */
    static OutputFileFactory factory(Table table, ActionRequest request, String kind, int partitionId, long taskId,
            FileFormat format) {
        String operation = request.jobId().value() + "-" + request.attempt() + "-" + kind + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        return OutputFileFactory.builderFor(table, partitionId, taskId)
                .format(format)
                .operationId(operation)
                .ioSupplier(() -> NoOverwriteFileIO.wrap(table.io()))
                .build();
    }
}
