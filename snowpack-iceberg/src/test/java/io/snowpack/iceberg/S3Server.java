package io.snowpack.iceberg;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.FileInfo;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;

/**
 * A real S3-compatible server inside the test's JVM: S3Proxy (Jetty, the S3 REST protocol with V4 signatures) over
 * an in-memory jclouds blob store, on a free port of 127.0.0.1, with one bucket. {@link #fileIoProperties()} are
 * what a catalog needs to reach it through Iceberg's {@link S3FileIO}.
 */
final class S3Server implements AutoCloseable {
    static final String ACCESS_KEY = "snowpack-test-access";
    static final String SECRET_KEY = "snowpack-test-secret";
    static final String REGION = "us-east-1";

    private final BlobStoreContext blobs;
    private final S3Proxy proxy;
    private final String bucket;
    private final S3FileIO io;

    private S3Server(String bucket) throws Exception {
        // By its metadata, not its name: a lookup by name loads every provider on the class path, and S3Proxy's
        // Azure provider needs the cloud back ends left out of the test class path.
        this.bucket = bucket;
        blobs = ContextBuilder.newBuilder(new TransientApiMetadata()).credentials(ACCESS_KEY, SECRET_KEY)
                .build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, bucket);
        proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true).build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        io = new S3FileIO();
        io.initialize(fileIoProperties());
    }

    /** Starts a server with bucket {@code bucket}. */
    static S3Server start(String bucket) {
        try {
            return new S3Server(bucket);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy", e);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** {@code s3://bucket/path}. */
    String location(String path) {
        return "s3://" + bucket + "/" + path;
    }

    /** The catalog properties that make Iceberg write through {@code S3FileIO} to this server. */
    Map<String, String> fileIoProperties() {
        return Map.of(
                "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
                "s3.endpoint", endpoint(),
                "s3.path-style-access", "true",
                "s3.access-key-id", ACCESS_KEY,
                "s3.secret-access-key", SECRET_KEY,
                "client.region", REGION,
                "s3.chunked-encoding-enabled", "false");
    }

    /** The objects whose key starts with {@code prefix} (a raw key prefix, as S3 lists), as s3:// locations. */
    Set<String> objects(String prefix) {
        Set<String> locations = new TreeSet<>();
        for (FileInfo file : io.listPrefix(location(prefix))) {
            locations.add(file.location());
        }
        return locations;
    }

    boolean exists(String location) {
        return io.newInputFile(location).exists();
    }

    /** Writes an object that no table references. */
    void put(String location, String content) {
        try (OutputStream out = io.newOutputFile(location).create()) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        io.close();
        proxy.stop();
        blobs.close();
    }
}
