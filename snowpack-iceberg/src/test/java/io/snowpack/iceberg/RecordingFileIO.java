package io.snowpack.iceberg;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.iceberg.hadoop.HadoopFileIO;

/**
 * A real {@link HadoopFileIO} that also writes every location it is asked to delete, one a line, to the file named
 * by system property {@value #LOG_PROPERTY} (whether or not the file existed: a metadata-only table's data files
 * never did). Named by class in the catalog's {@code io-impl}; {@link #flush()} before reading the log.
 */
public class RecordingFileIO extends HadoopFileIO {
    static final String LOG_PROPERTY = "snowpack.test.deletions";
    private static BufferedWriter log;

    public RecordingFileIO() {
        super();
    }

    @Override
    public void deleteFile(String path) {
        super.deleteFile(path);
        record(path);
    }

    private static synchronized void record(String path) {
        try {
            if (log == null) {
                log = Files.newBufferedWriter(Path.of(System.getProperty(LOG_PROPERTY)), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            log.write(path);
            log.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the deletion of " + path, e);
        }
    }

    static synchronized void flush() throws IOException {
        if (log != null) {
            log.flush();
        }
    }
}
