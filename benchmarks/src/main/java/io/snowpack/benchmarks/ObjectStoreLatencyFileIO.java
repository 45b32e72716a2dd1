package io.snowpack.benchmarks;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * The local file system with an object store's first-byte latency on manifest reads: opening a manifest
 * ({@code *.avro} but a manifest list {@code snap-*.avro}) waits {@value #PROPERTY} milliseconds first (0 by default),
 * as a GET on S3 or GCS does, so that the wide table's figures show what reading manifests in parallel hides on a
 * real warehouse. Named by class in the catalog's {@code io-impl}.
 */
public class ObjectStoreLatencyFileIO extends HadoopFileIO {
    /** The system property holding the latency, in milliseconds. */
    static final String PROPERTY = "bench.scale.manifest-latency-ms";

    private final Duration latency = Duration.ofMillis(Integer.getInteger(PROPERTY, 0));

    public ObjectStoreLatencyFileIO() {
        super();
    }

    @Override
    public InputFile newInputFile(String path) {
        return delayed(super.newInputFile(path));
    }

    @Override
    public InputFile newInputFile(String path, long length) {
        return delayed(super.newInputFile(path, length));
    }

    private InputFile delayed(InputFile file) {
        String name = file.location().substring(file.location().lastIndexOf('/') + 1);
        if (latency.isZero() || !name.endsWith(".avro") || name.startsWith("snap-")) {
            return file;
        }
        return new InputFile() {
            @Override
            public long getLength() {
                return file.getLength();
            }

            @Override
            public SeekableInputStream newStream() {
                LockSupport.parkNanos(latency.toNanos());
                return file.newStream();
            }

            @Override
            public String location() {
                return file.location();
            }

            @Override
            public boolean exists() {
                return file.exists();
            }
        };
    }
}
