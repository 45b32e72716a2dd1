package io.snowpack.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.http.HttpSettings;
import io.snowpack.http.SnowpackApi;
import io.snowpack.http.SnowpackHttpServer;
import io.snowpack.jdbc.JdbcStore;
import java.time.Duration;

/**
 * The API alone over a PostgreSQL store, for {@link SmallHeapListingTest}'s small-heap JVM: reads
 * {@code SNOWPACK_DATABASE_URL} and {@code SNOWPACK_SCHEMA}, prints the port it listens on, serves until killed.
 */
public final class SmallHeapApiMain {
    private SmallHeapApiMain() {
    }

    public static void main(String[] args) throws Exception {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(System.getenv("SNOWPACK_DATABASE_URL") + "&ApplicationName=snowpack-small-heap");
        pool.setMaximumPoolSize(8);
        HikariDataSource dataSource = new HikariDataSource(pool);
        SnowpackStore store = JdbcStore.builder(dataSource).schema(System.getenv("SNOWPACK_SCHEMA")).build();
        SnowpackConfig config = SnowpackConfig.builder().healthSyncInterval(Duration.ZERO).build();
        HttpSettings settings = HttpSettings.defaults().withPort(0);
        SnowpackApi api = SnowpackApi.builder().store(store).config(config).settings(settings).build();
        SnowpackHttpServer server = SnowpackHttpServer.start(api, settings);
        System.out.println("small-heap api on port " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
