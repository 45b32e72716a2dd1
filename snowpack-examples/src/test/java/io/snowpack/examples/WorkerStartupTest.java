package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.jdbc.SnowpackSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process started before its database (the shipped manifests start everything together, and a restart
 * can come at any time) waits for it instead of dying: before, Hikari's fail-fast start threw
 * {@code PoolInitializationException} out of {@code main} and the process exited.
 */
class WorkerStartupTest {
    @TempDir
    Path data;

    @Test
    void aWorkerStartedBeforeItsDatabaseWaitsForIt() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        AppEnvironment environment = new AppEnvironment(Map.of(
                "SNOWPACK_DATABASE_URL", "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres",
                "SNOWPACK_SCHEMA", "startup"));
        try (HikariDataSource dataSource = environment.dataSource(AppEnvironment.AppRole.WORKER)) {
            CompletableFuture<SnowpackStore> store = CompletableFuture.supplyAsync(() -> {
                try {
                    return WorkerApp.awaitStore(dataSource, "startup");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1500); // the worker is up; the database is not
            assertThat(store).isNotDone();

            try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data.toFile())
                    .setCleanDataDirectory(false).setPort(port).start()) {
                SnowpackSchema.migrate(postgres.getPostgresDatabase(), "startup");
                try (SnowpackStore ready = store.get(90, TimeUnit.SECONDS)) {
                    assertThat(ready.queue().readyDepth()).isZero();
                }
            }
        }
    }
}
