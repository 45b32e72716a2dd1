package io.snowpack.iceberg.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Iceberg's own REST catalog server ({@code org.apache.iceberg.rest.RESTCatalogServer}, from the
 * {@code iceberg-open-api} test fixtures, Iceberg 1.11.0 with Jetty 12.1) in a JVM of its own, whose class path the
 * {@code iceberg-rest-fixture} module resolves. Behind it, a {@code JdbcCatalog} on an H2 file under the state
 * directory, so the catalog's contents survive {@link #kill()} and {@link #start()}; its FileIO and warehouse are
 * the {@code backend} properties (an {@code s3://} warehouse on {@link S3Server}, say), passed as the image's
 * {@code CATALOG_*} variables.
 *
 * <p>{@link #kill()} is a crash ({@code SIGKILL}): the port is closed until {@link #start()} opens it again.
 */
public final class RestCatalogServer implements AutoCloseable {
    private static final String CLASS_PATH_RESOURCE = "/iceberg-rest-server.classpath";
    private static final String MAIN = "org.apache.iceberg.rest.RESTCatalogServer";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path state;
    private final Map<String, String> environment;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    private RestCatalogServer(Path state, Map<String, String> backend) throws IOException {
        this.state = Files.createDirectories(state);
        this.port = freePort();
        Map<String, String> properties = new HashMap<>(backend);
        properties.put("rest.port", Integer.toString(port));
        // Lower-case names: JdbcCatalog's schema check on a restart looks its columns up in lower case.
        properties.put("uri", "jdbc:h2:file:" + state.resolve("catalog").toAbsolutePath() + ";DATABASE_TO_LOWER=TRUE");
        properties.putIfAbsent("jdbc.schema-version", "V1");
        environment = new HashMap<>();
        properties.forEach((key, value) -> environment.put(variable(key), value));
    }

    /**
     * Starts a server whose backend catalog gets {@code backend} (at least {@code warehouse}; the FileIO and its
     * settings), keeping its database and log under {@code state}.
     */
    public static RestCatalogServer start(Path state, Map<String, String> backend) {
        try {
            RestCatalogServer server = new RestCatalogServer(state, backend);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fixture's spelling of catalog property {@code key}, the convention of Iceberg's REST fixture image:
     * {@code CATALOG_} and the key upper-cased, {@code -} as {@code __} and {@code .} as {@code _}.
     */
    static String variable(String key) {
        return "CATALOG_" + key.replace("-", "__").replace(".", "_").toUpperCase(Locale.ROOT);
    }

    /** Starts the server JVM (again) on its port and returns once it answers {@code GET /v1/config}. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("REST catalog server already running on port " + port);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = state.resolve("server-" + (++starts) + ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath(), MAIN).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(state.toFile());
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + MAIN, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the REST catalog server did not start on port " + port + ":\n"
                        + read(log));
            }
            sleep(100);
        }
    }

    /** {@code SIGKILL}, as a crash or a lost node: no graceful shutdown, the port closes. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("REST catalog server pid " + process.pid() + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing the REST catalog server", e);
        }
    }

    /** The catalog's base URI, {@code http://127.0.0.1:port/}, as a REST client's {@code uri}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public int port() {
        return port;
    }

    /** The properties of a REST catalog client of this server, with {@code io} for the client's own FileIO. */
    public Map<String, String> clientProperties(Map<String, String> io) {
        Map<String, String> properties = new HashMap<>(io);
        properties.put("type", "rest");
        properties.put("uri", uri().toString());
        return properties;
    }

    /** What every run of the server printed so far. */
    public String log() {
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            all.append(read(state.resolve("server-" + i + ".log")));
        }
        return all.toString();
    }

    private boolean answers() {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri().resolve("v1/config"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the REST catalog server", e);
        }
    }

    private static String classPath() {
        try (InputStream in = RestCatalogServer.class.getResourceAsStream(CLASS_PATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASS_PATH_RESOURCE + " is not on the test class path: add "
                        + "io.snowpack:snowpack-iceberg-rest-fixture (test scope, every transitive dependency "
                        + "excluded)");
            }
            String classPath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            List<String> missing = List.of(classPath.split(java.io.File.pathSeparator)).stream()
                    .filter(jar -> !Files.exists(Path.of(jar))).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("the REST server's class path names missing files: " + missing);
            }
            return classPath;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
