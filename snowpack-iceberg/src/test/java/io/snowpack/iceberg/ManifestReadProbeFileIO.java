package io.snowpack.iceberg;

import java.io.IOException;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * A real {@link HadoopFileIO} that counts manifests open for reading at once (any {@code .avro} metadata file but a
 * manifest list {@code snap-*.avro}). With {@link #rendezvous} on, each manifest read waits (up to five seconds)
 * until a second one is open at the same time: reads one after another then take the timeout and show a peak of 1,
 * while parallel reads meet at once. Named by class in the catalog's {@code io-impl}.
 */
public class ManifestReadProbeFileIO extends HadoopFileIO {
    private static final Object LOCK = new Object();
    private static int open;
    private static int peak;
    private static boolean rendezvous;

    public ManifestReadProbeFileIO() {
        super();
    }

    /** Clears the peak and turns the rendezvous on or off. */
    static void reset(boolean meet) {
        synchronized (LOCK) {
            open = 0;
            peak = 0;
            rendezvous = meet;
        }
    }

    /** Manifests open now. */
    static int openNow() {
        synchronized (LOCK) {
            return open;
        }
    }

    /** The most manifests open at once since {@link #reset}. */
    static int peak() {
        synchronized (LOCK) {
            return peak;
        }
    }

    @Override
    public InputFile newInputFile(String path) {
        return probed(super.newInputFile(path));
    }

    @Override
    public InputFile newInputFile(String path, long length) {
        return probed(super.newInputFile(path, length));
    }

    private static InputFile probed(InputFile file) {
        String name = file.location().substring(file.location().lastIndexOf('/') + 1);
        if (!name.endsWith(".avro") || name.startsWith("snap-")) {
            return file;
        }
        return new InputFile() {
            @Override
            public long getLength() {
                return file.getLength();
            }

            @Override
            public SeekableInputStream newStream() {
                SeekableInputStream stream = file.newStream();
                opened();
                return new Counted(stream);
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

    private static void opened() {
        synchronized (LOCK) {
            open++;
            peak = Math.max(peak, open);
            LOCK.notifyAll();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (rendezvous && peak < 2 && System.nanoTime() < deadline) {
                try {
                    LOCK.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static final class Counted extends SeekableInputStream {
        private final SeekableInputStream in;
        private boolean closed;

        Counted(SeekableInputStream in) {
            this.in = in;
        }

        @Override
        public long getPos() throws IOException {
            return in.getPos();
        }

        @Override
        public void seek(long newPos) throws IOException {
            in.seek(newPos);
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                synchronized (LOCK) {
                    open--;
                }
            }
            in.close();
        }
    }
}
