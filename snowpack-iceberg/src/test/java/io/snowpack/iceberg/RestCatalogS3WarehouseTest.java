package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.iceberg.servers.AuthGate;
import io.snowpack.iceberg.servers.RestCatalogServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link S3WarehouseContract} through Iceberg's own REST catalog server (its own JVM, Iceberg 1.11.0) whose
 * backend writes to the same bucket, reached by Snowpack's REST client through a gate that wants OAuth2: the
 * client gets a token for its client credentials from the token endpoint and sends it on every request.
 */
class RestCatalogS3WarehouseTest extends S3WarehouseContract {
    private static final String CLIENT_ID = "snowpack";
    private static final String CLIENT_SECRET = "s3cret";
    private static Path state;
    private static RestCatalogServer server;
    private static AuthGate gate;
    private Catalog catalog;

    @BeforeAll
    static void startCatalogServer() throws IOException {
        state = Files.createTempDirectory("rest-catalog");
        Map<String, String> backend = new HashMap<>(s3.fileIoProperties());
        backend.put("warehouse", s3.location("rest-default"));
        server = RestCatalogServer.start(state, backend);
        gate = AuthGate.oauth2(server.uri(), CLIENT_ID, CLIENT_SECRET);
    }

    @AfterAll
    static void stopCatalogServer() {
        if (gate != null) {
            gate.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, String> clientProperties() {
        Map<String, String> properties = new HashMap<>(s3.fileIoProperties());
        properties.put("type", "rest");
        properties.put("uri", gate.uri().toString());
        properties.put("rest.auth.type", "oauth2");
        properties.put("oauth2-server-uri", gate.tokenEndpoint().toString());
        properties.put("credential", CLIENT_ID + ":" + CLIENT_SECRET);
        properties.put("scope", "catalog");
        return properties;
    }

    @Override
    Warehouse open(String location) {
        catalog = CatalogUtil.buildIcebergCatalog("rest", clientProperties(), new Configuration());
        return new Warehouse(location, catalog);
    }

    /** The server's catalog outlives each test; its tables do not, so every test starts from an empty {@code db}. */
    @AfterEach
    void dropTables() {
        for (TableIdentifier table : catalog.listTables(Namespace.of("db"))) {
            catalog.dropTable(table, false);
        }
    }

    @Test
    void everyRequestCarriesATokenFromTheTokenEndpoint() {
        int refusedBefore = gate.refused().size();
        IcebergTableSource source = IcebergTableSource.create(catalog, SnowpackConfig.defaults());

        assertThat(source.databases()).contains("db");
        assertThat(gate.tokensIssued()).as("tokens issued for the client credentials").isPositive();
        assertThat(gate.forwarded()).isPositive();
        assertThat(gate.refused()).as("requests the gate refused").hasSize(refusedBefore);
        assertThat(server.log()).contains("Creating rest_backend catalog");
    }

    @Test
    void aClientWithoutCredentialsIsRefused() {
        Map<String, String> anonymous = new HashMap<>(clientProperties());
        anonymous.remove("credential");
        anonymous.remove("oauth2-server-uri");
        anonymous.remove("scope");
        anonymous.remove("rest.auth.type");

        assertThatThrownBy(() -> {
            Catalog stranger = CatalogUtil.buildIcebergCatalog("rest", anonymous, new Configuration());
            ((SupportsNamespaces) stranger).listNamespaces();
        }).isInstanceOf(NotAuthorizedException.class);
        assertThat(gate.refused()).anyMatch(r -> r.contains("no bearer token"));
    }
}
