package io.snowpack.iceberg.servers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * an in-memory jclouds blob store, on a port of 127.0.0.1, with one bucket. {@link #fileIoProperties()} are what a
 * catalog needs to reach it through Iceberg's {@link S3FileIO}. {@link #stop()} really closes the port (clients
 * get "connection refused") and {@link #start()} opens it again on the same port with every object kept, as an
 * object store that goes away and comes back.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "snowpack-test-access";
    public static final String SECRET_KEY = "snowpack-test-secret";
    public static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final BlobStoreContext blobs;
    private final String bucket;
    private final S3FileIO io;
    private S3Proxy proxy;
    private int port;

    private S3Server(String bucket) {
        // By its metadata, not its name: a lookup by name loads every provider on the class path, and S3Proxy's
        // Azure provider needs the cloud back ends left out of the test class path.
        this.bucket = bucket;
        blobs = ContextBuilder.newBuilder(new TransientApiMetadata()).credentials(ACCESS_KEY, SECRET_KEY)
                .build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, bucket);
        start();
        io = new S3FileIO();
        io.initialize(fileIoProperties());
    }

    /** Starts a server with bucket {@code bucket} on a free port. */
    public static S3Server start(String bucket) {
        return new S3Server(bucket);
    }

    /** Serves again on the port it had (a free one the first time); the objects are those it had when stopped. */
    public synchronized void start() {
        if (proxy != null) {
            throw new IllegalStateException("S3 server already running on port " + port);
        }
        S3Proxy started = S3Proxy.builder().blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true).build();
        try {
            started.start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!"STARTED".equals(started.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start on port " + port + ": "
                            + started.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy on port " + port, e);
        }
        proxy = started;
        port = started.getPort();
    }

    /** Stops serving: the port is closed until {@link #start()}. */
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy on port " + port, e);
        }
        proxy = null;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String bucket() {
        return bucket;
    }

    /** {@code s3://bucket/path}. */
    public String location(String path) {
        return "s3://" + bucket + "/" + path;
    }

    /**
     * The catalog properties that make Iceberg write through {@code S3FileIO} to this server: path-style
     * requests to its endpoint, its static credentials, no {@code aws-chunked} uploads (S3Proxy 2.6 predates the
     * SDK's default trailing checksums; AWS S3 needs neither setting), and short retries: by default S3FileIO tries
     * a request 6 times over up to a minute, so a test that stops the server would wait minutes per action.
     */
    public Map<String, String> fileIoProperties() {
        return Map.of(
                "s3.retry.num-retries", "1",
                "s3.retry.min-wait-ms", "100",
                "s3.retry.max-wait-ms", "500",
                "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
                "s3.endpoint", endpoint(),
                "s3.path-style-access", "true",
                "s3.access-key-id", ACCESS_KEY,
                "s3.secret-access-key", SECRET_KEY,
                "client.region", REGION,
                "s3.chunked-encoding-enabled", "false");
    }

    /** The objects whose key starts with {@code prefix} (a raw key prefix, as S3 lists), as s3:// locations. */
    public Set<String> objects(String prefix) {
        Set<String> locations = new TreeSet<>();
        for (FileInfo file : io.listPrefix(location(prefix))) {
            locations.add(file.location());
        }
        return locations;
    }

    public boolean exists(String location) {
        return io.newInputFile(location).exists();
    }

    /** Writes an object that no table references. */
    public void put(String location, String content) {
        try (OutputStream out = io.newOutputFile(location).create()) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        io.close();
        stop();
        blobs.close();
    }
}
