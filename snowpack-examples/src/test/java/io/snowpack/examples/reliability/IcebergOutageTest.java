package io.snowpack.examples.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.service.MaintenanceService;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.examples.ApiApp;
import io.snowpack.examples.AppEnvironment;
import io.snowpack.examples.Running;
import io.snowpack.iceberg.IcebergMaintenanceExecutor;
import io.snowpack.jdbc.JdbcStore;
import io.snowpack.testkit.TestData;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's process-level fault run with the real pieces: three worker JVMs of the shipped worker app running
 * the Iceberg executor against a PostgreSQL-backed Iceberg JDBC catalog, the API app (service and sweeper) in this
 * JVM, Snowpack's own state on a second PostgreSQL. While they maintain real tables, Snowpack's PostgreSQL is
 * restarted in immediate mode twice (SIGQUIT to the postmaster, crash recovery on start; one worker is started
 * while it is down) and the catalog's PostgreSQL is stopped for 45 s. Promises checked: every worker resumes
 * claiming by itself, every accepted job ends terminal and none failed, no action is committed by two attempts,
 * every commit in the tables is recorded on its job, and no table lost or gained a row.
 */
class IcebergOutageTest {
    private static final int TABLES = 9;
    private static final Duration CATALOG_OUTAGE = Duration.ofSeconds(45);

    @TempDir
    Path data;

    @TempDir
    Path logs;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static EmbeddedPostgres start(Path dir, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dir.toFile()).setCleanDataDirectory(false)
                .setPort(port).setServerConfig("fsync", "off").start();
    }

    /** {@code pg_ctl stop -m immediate}: SIGQUIT to the postmaster, no checkpoint; the next start recovers. */
    private static void stopImmediately(EmbeddedPostgres server, Path dir) throws Exception {
        long pid = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
        Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Files.exists(dir.resolve("postmaster.pid")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        try {
            server.close();
        } catch (IOException | RuntimeException alreadyDown) {
            // the server is gone; close only tidies up the handle
        }
    }

    @Test
    void workersResumeAndEveryCommitIsRecordedOnceThroughRestartsAndACatalogOutage() throws Exception {
        Path storeDir = data.resolve("store");
        Path catalogDir = data.resolve("catalog");
        int storePort = freePort();
        int catalogPort = freePort();
        EmbeddedPostgres store = start(storeDir, storePort);
        EmbeddedPostgres catalogDb = start(catalogDir, catalogPort);
        String storeUrl = "jdbc:postgresql://localhost:" + storePort + "/postgres?user=postgres";
        Map<String, String> env = new HashMap<>(ChaosEnvironment.of(storeUrl, "outage"));
        env.put("SNOWPACK_WORKER_SLOTS", "1");
        env.put("SNOWPACK_WORKER_HEARTBEAT_INTERVAL", "1s");
        env.put("SNOWPACK_SWEEPER_STALE_CLAIM_THRESHOLD", "20s");
        env.put("SNOWPACK_WORKER_LOCK_TTL", "60s");
        env.put("SNOWPACK_HTTP_PORT", "0");
        env.put("SNOWPACK_HEALTH_SYNC_INTERVAL", "0");
        env.put("SNOWPACK_CATALOG_TYPE", "jdbc");
        env.put("SNOWPACK_CATALOG_URI", "jdbc:postgresql://localhost:" + catalogPort + "/postgres");
        env.put("SNOWPACK_CATALOG_JDBC_USER", "postgres");
        env.put("SNOWPACK_CATALOG_JDBC_SCHEMA__VERSION", "V1");
        env.put("SNOWPACK_CATALOG_WAREHOUSE", data.resolve("warehouse").toUri().toString());
        env.put("SNOWPACK_CATALOG_IO__IMPL", "org.apache.iceberg.hadoop.HadoopFileIO");
        AppEnvironment environment = new AppEnvironment(env);
        Catalog catalog = environment.catalog();
        HikariDataSource testConnections = pool(storeUrl);
        List<WorkerProcess> workers = new ArrayList<>();
        OutageWorkload workload = new OutageWorkload("outage", TABLES);
        try (Running api = ApiApp.start(environment, IcebergMaintenanceExecutor.create(catalog,
                SnowpackConfig.fromEnvironment(env)), null);
                SnowpackStore snowpack = JdbcStore.builder(testConnections).schema("outage").build()) {
            workload.create(catalog);
            for (int i = 0; i < TABLES; i++) {
                snowpack.tables().upsert(TestData.health(workload.table(i), snowpack.now(), true));
            }
            MaintenanceService service = MaintenanceService.builder().store(snowpack)
                    .config(SnowpackConfig.fromEnvironment(env)).build();
            for (int i = 0; i < 2; i++) {
                workers.add(WorkerProcess.startApp(env, logs, "worker-" + i));
            }
            workload.submitWave(service, 0);

            Thread.sleep(1500);
            stopImmediately(store, storeDir); // 1st restart of Snowpack's database, mid-work
            workers.add(WorkerProcess.startApp(env, logs, "worker-2")); // a worker that starts while it is down
            Thread.sleep(3000);
            store = start(storeDir, storePort);
            workload.appendMore(catalog);
            workload.submitWave(service, 1);

            stopImmediately(catalogDb, catalogDir); // the catalog goes away for 45 s
            Thread.sleep(CATALOG_OUTAGE.toMillis() / 2);
            stopImmediately(store, storeDir); // 2nd restart, during the catalog outage
            Thread.sleep(3000);
            store = start(storeDir, storePort);
            Thread.sleep(CATALOG_OUTAGE.toMillis() / 2 - 3000);
            catalogDb = start(catalogDir, catalogPort);
            LocalTime recovered = LocalTime.now();
            Files.writeString(logs.resolve("recovered-at"), recovered.toString());

            workload.appendMore(catalog);
            workload.submitWave(service, 2);
            workload.awaitTerminal(service, Duration.ofMinutes(6));

            OutageWorkload.Audit audit = workload.audit(catalog, service);
            OutageWorkload.WorkerLogs workerLogs = OutageWorkload.workerLogs(workers, recovered, "iceberg-outage");
            audit.report("iceberg-outage", workload.accepted().size(), workerLogs, "store_restarts_immediate", 2,
                    "catalog_outage_seconds", CATALOG_OUTAGE.toSeconds());

            audit.assertNothingLostOrRepeated(workerLogs);
        } finally {
            for (WorkerProcess worker : workers) {
                worker.close();
            }
            testConnections.close();
            closeQuietly(store);
            closeQuietly(catalogDb);
        }
    }

    private static void closeQuietly(EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException | RuntimeException ignored) {
            // already stopped
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }
}
