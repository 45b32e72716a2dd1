package io.snowpack.benchmarks;

import io.snowpack.core.model.JobId;
import io.snowpack.core.spi.Claim;
import io.snowpack.core.spi.SnowpackStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/** Snowpack's {@code JobQueue}: claim (one statement) then complete, single or batched. */
final class SnowpackQueue implements QueueUnderTest {
    private final SnowpackStore store;
    private final DataSource dataSource;
    private final String schema;

    SnowpackQueue(SnowpackStore store, DataSource dataSource, String schema) {
        this.store = store;
        this.dataSource = dataSource;
        this.schema = schema;
    }

    @Override
    public void prefill(int jobs) {
        if (dataSource == null) {
            for (int i = 0; i < jobs; i++) {
                store.queue().enqueue(JobId.random(), Duration.ZERO);
            }
            return;
        }
        // Bulk insert through JDBC: filling is not what is measured.
        try (Connection c = dataSource.getConnection(); Statement clear = c.createStatement();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + schema
                     + ".job_queue (job_id, visible_at, attempts, fence) VALUES (?, CURRENT_TIMESTAMP, 0, 0)")) {
            clear.execute("DELETE FROM " + schema + ".job_queue");
            for (int i = 0; i < jobs; i++) {
                insert.setString(1, JobId.random().value());
                insert.addBatch();
                if (i % 5000 == 4999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            if (c.getMetaData().getDatabaseProductName().contains("PostgreSQL")) {
                clear.execute("VACUUM ANALYZE " + schema + ".job_queue");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Prefill failed", e);
        }
    }

    @Override
    public int claimAndComplete(String worker, int batch) {
        List<Claim> claims = store.queue().claim(worker, batch);
        if (claims.isEmpty()) {
            return 0;
        }
        if (claims.size() == 1) {
            return store.queue().complete(claims.get(0)) ? 1 : 0;
        }
        return store.queue().completeAll(claims).size();
    }
}
