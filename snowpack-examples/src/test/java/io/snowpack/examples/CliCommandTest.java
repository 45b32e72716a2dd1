package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.http.HttpSettings;
import io.snowpack.http.SnowpackApi;
import io.snowpack.http.SnowpackHttpServer;
import io.snowpack.testkit.TestData;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code java … Main cli …}, the way {@code snowpack.jar} and the image's {@code /bin/snowpack} run the CLI, in its
 * own JVM against an API over HTTP: the CLI's output and exit codes come through {@link Main} unchanged.
 */
class CliCommandTest {
    private SnowpackStore store;
    private SnowpackApi api;
    private SnowpackHttpServer server;

    /** One run of the CLI process: its exit code and its standard output and error. */
    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void startApi() {
        store = InMemoryStore.create();
        store.tables().upsert(TestData.health(TableId.parse("offer_service.offers"), store.now(), true));
        HttpSettings settings = HttpSettings.defaults().withPort(0).withApiToken("t0ken");
        api = SnowpackApi.builder().store(store).settings(settings).build();
        server = SnowpackHttpServer.start(api, settings);
    }

    @AfterEach
    void stopApi() {
        server.close();
        api.close();
    }

    private Run cli(String url, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "cli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("SNOWPACK_URL", url);
        builder.environment().put("SNOWPACK_API_TOKEN", "t0ken");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the CLI process ended").isTrue();
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theCliRunsThroughMainWithItsExitCodes() throws Exception {
        String url = "http://127.0.0.1:" + server.port();

        Run tables = cli(url, "tables");
        assertThat(tables.exitCode()).as(tables.toString()).isZero();
        assertThat(tables.out()).contains("offer_service.offers");

        Run missing = cli(url, "health", "offer_service.missing");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(3);
        assertThat(missing.err().strip()).startsWith("snowpack: ").contains("offer_service.missing")
                .doesNotContain("\tat ");

        Run usage = cli(url, "defragment");
        assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(2);

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Run unreachable = cli("http://127.0.0.1:" + closed, "cache-status");
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(6);
        assertThat(unreachable.err().strip().lines()).hasSize(1);
    }
}
