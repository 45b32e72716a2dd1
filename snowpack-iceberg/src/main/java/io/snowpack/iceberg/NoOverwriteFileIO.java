package io.snowpack.iceberg;

import java.io.IOException;
import java.util.Map;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * The table's {@link FileIO} for the files a rewrite writes: every output file is opened with {@code create()},
 * never {@code createOrOverwrite()}, so an existing path (a file a previous attempt committed) is never replaced.
 * Iceberg's generic writers open with overwrite; through this FileIO they fail with {@link PathAlreadyExists}
 * instead.
 *
 * <p>The streams it returns are also finalizer-safe: Iceberg's Parquet writer unwraps a Hadoop output stream to
 * its {@code FSDataOutputStream} and drops the wrapper, whose finalizer then closes the stream while Parquet is
 * still writing (apache/iceberg#7696), which corrupts the file under GC pressure. A {@link Pinned} stream cannot
 * be unwrapped and keeps the original reachable until it is closed.
 */
final class NoOverwriteFileIO implements FileIO {
    private final FileIO delegate;

    private NoOverwriteFileIO(FileIO delegate) {
        this.delegate = delegate;
    }

    static FileIO wrap(FileIO io) {
        return io instanceof NoOverwriteFileIO ? io : new NoOverwriteFileIO(io);
    }

    @Override
    public InputFile newInputFile(String path) {
        return delegate.newInputFile(path);
    }

    @Override
    public OutputFile newOutputFile(String path) {
        return new CreateOnly(delegate.newOutputFile(path));
    }

    @Override
    public void deleteFile(String path) {
        delegate.deleteFile(path);
    }

    @Override
    public Map<String, String> properties() {
        return delegate.properties();
    }

    /** The table's FileIO is not ours to close. */
    @Override
    public void close() {
    }

    /** An output file that refuses to replace an existing file. */
    private record CreateOnly(OutputFile file) implements OutputFile {
        @Override
        public PositionOutputStream create() {
            try {
                return new Pinned(file.create());
            } catch (AlreadyExistsException e) {
                throw new PathAlreadyExists(file.location(), e);
            }
        }

        @Override
        public PositionOutputStream createOrOverwrite() {
            return create();
        }

        @Override
        public String location() {
            return file.location();
        }

        @Override
        public InputFile toInputFile() {
            return file.toInputFile();
        }
    }

    /**
     * Forwards to the stream it pins, and is deliberately not a {@code DelegatingOutputStream}: nobody can take the
     * inner stream away from it, so the inner stream's finalizer cannot run (and close it) before this is closed.
     */
    private static final class Pinned extends PositionOutputStream {
        private final PositionOutputStream inner;

        Pinned(PositionOutputStream inner) {
            this.inner = inner;
        }

        @Override
        public long getPos() throws IOException {
            return inner.getPos();
        }

        @Override
        public long storedLength() throws IOException {
            return inner.storedLength();
        }

        @Override
        public void write(int b) throws IOException {
            inner.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            inner.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            inner.flush();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }

    /** A rewrite was about to write over an existing file; nothing was written to it. */
    static final class PathAlreadyExists extends RuntimeException {
        private final String location;

        PathAlreadyExists(String location, Throwable cause) {
            super("output path " + location + " already exists", cause);
            this.location = location;
        }

        String location() {
            return location;
        }
    }
}
