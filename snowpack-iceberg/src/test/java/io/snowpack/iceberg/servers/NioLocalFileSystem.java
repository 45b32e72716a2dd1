package io.snowpack.iceberg.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Tests only ({@code core-site.xml} of the test class path sets {@code fs.file.impl} to it): Hadoop's local file
 * system, with file modes set through {@code java.nio} instead of a {@code bash -c chmod} process for every file and
 * directory it creates, which is what Hadoop does without its native library. Everything else is Hadoop's own
 * local file system, checksums included: the files the tests write and read are the real ones.
 */
public final class NioLocalFileSystem extends LocalFileSystem {
    public NioLocalFileSystem() {
        super(new NioRawLocalFileSystem());
    }

    /** The raw local file system with {@code java.nio} permissions. */
    static final class NioRawLocalFileSystem extends RawLocalFileSystem {
        @Override
        public void setPermission(Path path, FsPermission permission) throws IOException {
            String mode = permission.getUserAction().SYMBOL + permission.getGroupAction().SYMBOL
                    + permission.getOtherAction().SYMBOL;
            Files.setPosixFilePermissions(pathToFile(path).toPath(), PosixFilePermissions.fromString(mode));
        }
    }
}
