package io.snowpack.iceberg;

import java.net.URI;
import java.util.stream.StreamSupport;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.FileInfo;

/**
 * A real {@link HadoopFileIO} on the local file system whose {@link #listPrefix} behaves like an object store's:
 * it matches the raw key prefix, so listing {@code …/events} also returns the files of {@code …/events_backup}
 * and {@code …/events2}, as {@code S3FileIO} does. Named by class in the catalog's {@code io-impl}.
 */
public class RawPrefixFileIO extends HadoopFileIO {
    public RawPrefixFileIO() {
        super();
    }

    @Override
    public Iterable<FileInfo> listPrefix(String prefix) {
        String path = pathOf(prefix);
        int slash = path.lastIndexOf('/', path.endsWith("/") ? path.length() - 2 : path.length() - 1);
        String parent = path.substring(0, Math.max(1, slash + 1));
        Iterable<FileInfo> everything = super.listPrefix("file:" + parent);
        return () -> StreamSupport.stream(everything.spliterator(), false)
                .filter(file -> pathOf(file.location()).startsWith(path)).iterator();
    }

    private static String pathOf(String location) {
        return URI.create(location).getPath();
    }
}
