package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpack.jdbc.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog that does not hold health sync's databases is said loudly, not shown as "0 tables": real Iceberg JDBC
 * catalogs on H2 (empty, lacking a configured database, read under the wrong {@code SNOWPACK_CATALOG_NAME}), and the
 * API process's {@code /readyz} over one, on embedded PostgreSQL.
 */
class CatalogMisconfigurationTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path warehouse;

    private String newCatalogUrl() {
        return "jdbc:h2:mem:catalog_contents_" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
    }

    private JdbcCatalog catalog(String url, String name, String... namespaces) {
        JdbcCatalog catalog = new JdbcCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize(name, Map.of(CatalogProperties.URI, url,
                CatalogProperties.WAREHOUSE_LOCATION, warehouse.toUri().toString(),
                CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO",
                "jdbc.schema-version", "V1"));
        for (String namespace : namespaces) {
            catalog.createNamespace(Namespace.of(namespace));
        }
        return catalog;
    }

    @Test
    void aCatalogWithNoNamespaceIsMisconfiguredWhenHealthSyncExpectsDatabases() throws Exception {
        try (JdbcCatalog empty = catalog(newCatalogUrl(), "prod")) {
            CatalogContents.Finding finding = CatalogContents.check(empty, "prod", List.of("demo", "sales"));

            assertThat(finding.state()).isEqualTo(CatalogContents.State.MISCONFIGURED);
            assertThat(finding.text()).contains("catalog 'prod' lists 0 namespaces",
                    "SNOWPACK_HEALTH_SYNC_DATABASES names demo, sales", "Is SNOWPACK_CATALOG_NAME='prod' right?");
            assertThat(CatalogContents.check(empty, "prod", List.of()).state())
                    .as("nothing expected, nothing missing").isEqualTo(CatalogContents.State.OK);
        }
    }

    @Test
    void aConfiguredDatabaseMissingFromTheCatalogIsNamed() throws Exception {
        try (JdbcCatalog catalog = catalog(newCatalogUrl(), "prod", "demo", "Sales")) {
            CatalogContents.Finding finding = CatalogContents.check(catalog, "prod", List.of("demo", "sales"));

            assertThat(finding.state()).isEqualTo(CatalogContents.State.MISCONFIGURED);
            assertThat(finding.text()).contains("catalog 'prod' has no namespace sales of "
                    + "SNOWPACK_HEALTH_SYNC_DATABASES", "it lists 2: Sales, demo",
                    "'Sales' differs from 'sales' only in case");
            assertThat(CatalogContents.check(catalog, "prod", List.of("demo")))
                    .isEqualTo(new CatalogContents.Finding(CatalogContents.State.OK,
                            "health sync's databases (demo) are all namespaces of catalog 'prod'"));
        }
    }

    @Test
    void aWrongCatalogNameShowsAsAnEmptyCatalogAndIsCalledOut() throws Exception {
        String url = newCatalogUrl();
        try (JdbcCatalog right = catalog(url, "prod", "demo"); JdbcCatalog wrong = catalog(url, "prdo")) {
            assertThat(CatalogContents.check(right, "prod", List.of("demo")).state())
                    .isEqualTo(CatalogContents.State.OK);
            CatalogContents.Finding finding = CatalogContents.check(wrong, "prdo", List.of("demo"));
            assertThat(finding.state()).isEqualTo(CatalogContents.State.MISCONFIGURED);
            assertThat(finding.text()).contains("catalog 'prdo' lists 0 namespaces",
                    "Is SNOWPACK_CATALOG_NAME='prdo' right? REST and JDBC catalogs are scoped by name");
        }
    }

    /**
     * The API over a catalog lacking {@code sales}: {@code /readyz} names it under {@code catalog} and stays 200 (the
     * API's own work does not need the catalog's contents; see the README), and the detail clears once the
     * namespace exists.
     */
    @Test
    void theApiReportsAMissingDatabaseInReadyzAndClearsItWhenItAppears() throws Exception {
        String url = newCatalogUrl();
        Map<String, String> env = new HashMap<>();
        env.put("SNOWPACK_DATABASE_URL", TestDatabases.postgresJdbcUrl());
        env.put("SNOWPACK_DATABASE_USER", "postgres");
        env.put("SNOWPACK_SCHEMA", TestDatabases.unusedSchemaName("catalog_misconfigured"));
        env.put("SNOWPACK_HTTP_PORT", "0");
        env.put("SNOWPACK_HEALTH_SYNC_DATABASES", "demo,sales");
        env.put("SNOWPACK_HEALTH_SYNC_INTERVAL", "1s");
        env.put("SNOWPACK_CATALOG_TYPE", "jdbc");
        env.put("SNOWPACK_CATALOG_URI", url);
        env.put("SNOWPACK_CATALOG_WAREHOUSE", warehouse.toUri().toString());
        env.put("SNOWPACK_CATALOG_IO__IMPL", "org.apache.iceberg.hadoop.HadoopFileIO");
        env.put("SNOWPACK_CATALOG_JDBC_SCHEMA__VERSION", "V1");
        env.put("SNOWPACK_CATALOG_NAME", "prod");
        AppEnvironment environment = new AppEnvironment(env);
        try (JdbcCatalog admin = catalog(url, "prod", "demo");
             CatalogConnection catalog = CatalogConnection.start(environment::catalog,
                     connected -> IcebergParts.over(connected, environment.config()), CatalogContents.of(environment),
                     Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(300));
             Running running = ApiApp.start(environment, catalog)) {
            int port = running.runtime().apiPort().orElseThrow();
            HttpResponse<String> ready = readyz(port);
            long synced = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ready.statusCode() != 200 && System.nanoTime() < synced) { // until health sync has run once
                Thread.sleep(100);
                ready = readyz(port);
            }
            assertThat(ready.statusCode()).as("a misconfigured catalog does not take the API out: %s", ready.body())
                    .isEqualTo(200);
            JsonNode checks = JSON.readTree(ready.body()).get("checks");
            assertThat(checks.get("catalog").asText()).startsWith("misconfigured (connected): catalog 'prod' has no "
                    + "namespace sales of SNOWPACK_HEALTH_SYNC_DATABASES");
            assertThat(checks.get("database").asText()).isEqualTo("ok");

            admin.createNamespace(Namespace.of("sales"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String detail = checks.get("catalog").asText();
            while (detail.startsWith("misconfigured") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                detail = JSON.readTree(readyz(port).body()).get("checks").get("catalog").asText();
            }
            assertThat(detail).isEqualTo("connected; health sync's databases (demo, sales) are all namespaces of "
                    + "catalog 'prod'");
        }
    }

    private static HttpResponse<String> readyz(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/readyz")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
