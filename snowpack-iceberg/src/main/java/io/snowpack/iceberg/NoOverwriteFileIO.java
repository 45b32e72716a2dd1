package io.snowpack.iceberg;

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
                return file.create();
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
