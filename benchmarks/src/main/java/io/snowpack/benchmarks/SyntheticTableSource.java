package io.snowpack.benchmarks;

import io.snowpack.core.TableNotFoundException;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.policy.TableProperties;
import io.snowpack.core.spi.TableSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Many synthetic tables, cheap to measure: {@code databases} databases {@code db_000, db_001, …} of
 * {@code tablesPerDatabase} tables each, every table opted in, one in twenty with enough small files to need
 * compaction. Each {@code health()} waits {@code latency} first, standing for the catalog and metadata round trips a
 * real table costs, so that the figures show how passes overlap that wait. One further database can be served by
 * another source ({@link #withDatabase}), such as a real Iceberg table with thousands of manifests.
 */
final class SyntheticTableSource implements TableSource {
    private final Map<String, Integer> synthetic = new TreeMap<>();
    private final Map<String, TableSource> delegated = new TreeMap<>();
    private final Duration latency;

    SyntheticTableSource(int databases, int tablesPerDatabase, Duration latency) {
        for (int d = 0; d < databases; d++) {
            synthetic.put(String.format("db_%03d", d), tablesPerDatabase);
        }
        this.latency = latency;
    }

    /** Serves {@code database} from {@code source}. */
    SyntheticTableSource withDatabase(String database, TableSource source) {
        delegated.put(database, source);
        return this;
    }

    /** Every database, synthetic and delegated, sorted. */
    @Override
    public List<String> databases() {
        TreeMap<String, Object> all = new TreeMap<>(synthetic);
        delegated.keySet().forEach(db -> all.put(db, db));
        return List.copyOf(all.keySet());
    }

    @Override
    public List<TableId> tables(String database) {
        TableSource other = delegated.get(database);
        if (other != null) {
            return other.tables(database);
        }
        int count = synthetic.getOrDefault(database, 0);
        List<TableId> tables = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            tables.add(TableId.of(database, String.format("t_%05d", t)));
        }
        return tables;
    }

    @Override
    public TableHealth health(TableId table) {
        TableSource other = delegated.get(table.database());
        if (other != null) {
            return other.health(table);
        }
        int index = index(table);
        if (!latency.isZero()) {
            LockSupport.parkNanos(latency.toNanos());
        }
        Instant now = Instant.now();
        boolean needsCompaction = index % 20 == 0;
        return TableHealth.builder(table).formatVersion(2).dataFiles(1_000 + index % 500)
                .smallFiles(needsCompaction ? 400 : 3).averageFileSizeBytes(400L << 20).totalRecords(10_000_000L)
                .totalBytes(400L << 30).snapshots(3).oldestSnapshotAt(now.minus(Duration.ofHours(2)))
                .dataManifests(4).metadataFileSizeBytes(20_000).previousMetadataFiles(3)
                .property(TableProperties.MAINTENANCE_ENABLED, "true").syncedAt(now).build();
    }

    private int index(TableId table) {
        if (!synthetic.containsKey(table.database()) || !table.table().startsWith("t_")) {
            throw new TableNotFoundException(table.key());
        }
        int index = Integer.parseInt(table.table().substring(2));
        if (index >= synthetic.get(table.database())) {
            throw new TableNotFoundException(table.key());
        }
        return index;
    }
}
