package io.snowpack.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestWriter;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a table with many manifests is measured with its manifests read in parallel
 * ({@code health_sync.manifest_concurrency}), and its health is exactly the one read one manifest after another.
 */
class ParallelManifestHealthTest {
    private static final int MANIFESTS = 48;
    private static final int FILES_PER_MANIFEST = 25;
    private static final long SMALL = 1_000;
    private static final long LARGE = 600L << 20;
    private static final TableId ID = TableId.of("db", "wide");

    @TempDir
    Path root;
    private HadoopCatalog catalog;

    @BeforeEach
    void createTable() throws IOException {
        catalog = new HadoopCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize("probe", Map.of(CatalogProperties.WAREHOUSE_LOCATION, root.toUri().toString(),
                CatalogProperties.FILE_IO_IMPL, ManifestReadProbeFileIO.class.getName()));
        catalog.createNamespace(Namespace.of("db"));
        Table table = catalog.createTable(TableIdentifier.of("db", "wide"), Warehouse.SCHEMA, Warehouse.BY_KIND,
                Map.of("format-version", "2"));
        AppendFiles append = table.newFastAppend();
        for (int m = 0; m < MANIFESTS; m++) {
            append.appendManifest(dataManifest(table, m));
        }
        append.commit();
        for (int d = 0; d < 3; d++) {
            DataFile target = dataFile(table, 0, d);
            table.newRowDelta().addDeletes(FileMetadata.deleteFileBuilder(table.spec()).ofPositionDeletes()
                    .withPath(table.location() + "/data/kind=a/pos-" + d + ".parquet").withFormat(FileFormat.PARQUET)
                    .withPartitionPath("kind=a").withFileSizeInBytes(500).withRecordCount(4)
                    .withReferencedDataFile(target.location()).build()).commit();
        }
        table.newRowDelta().addDeletes(FileMetadata.deleteFileBuilder(table.spec()).ofEqualityDeletes(1)
                .withPath(table.location() + "/data/kind=a/eq-0.parquet").withFormat(FileFormat.PARQUET)
                .withPartitionPath("kind=a").withFileSizeInBytes(300).withRecordCount(2).build()).commit();
    }

    @AfterEach
    void closeCatalog() throws IOException {
        ManifestReadProbeFileIO.reset(false);
        catalog.close();
    }

    /** Manifest {@code m}: {@value #FILES_PER_MANIFEST} data files, every other one small. */
    private static ManifestFile dataManifest(Table table, int m) throws IOException {
        ManifestWriter<DataFile> writer = ManifestFiles.write(2, table.spec(),
                table.io().newOutputFile(table.location() + "/metadata/bulk-m" + m + ".avro"), null);
        try (writer) {
            for (int f = 0; f < FILES_PER_MANIFEST; f++) {
                writer.add(dataFile(table, m, f));
            }
        }
        return writer.toManifestFile();
    }

    private static DataFile dataFile(Table table, int m, int f) {
        return DataFiles.builder(table.spec()).withPath(table.location() + "/data/kind=a/f-" + m + "-" + f + ".parquet")
                .withFormat(FileFormat.PARQUET).withPartitionPath("kind=a")
                .withFileSizeInBytes(f % 2 == 0 ? SMALL : LARGE).withRecordCount(10).build();
    }

    private TableHealth measure(int manifestConcurrency) {
        SnowpackConfig config = SnowpackConfig.builder().healthSyncManifestConcurrency(manifestConcurrency).build();
        return IcebergTableSource.create(catalog, config).health(ID);
    }

    @Test
    void parallelReadsGiveExactlyTheHealthOfSequentialReads() {
        ManifestReadProbeFileIO.reset(false);
        TableHealth sequential = measure(1);
        assertThat(ManifestReadProbeFileIO.peak()).as("one manifest at a time").isEqualTo(1);

        ManifestReadProbeFileIO.reset(true);
        TableHealth parallel = measure(4);

        assertThat(ManifestReadProbeFileIO.peak()).as("manifests read at once").isBetween(2, 4);
        Instant at = sequential.syncedAt();
        assertThat(parallel.toBuilder().syncedAt(at).build()).isEqualTo(sequential);
        assertThat(parallel.dataManifests()).isEqualTo(MANIFESTS);
        assertThat(parallel.deleteManifests()).isEqualTo(4);
        assertThat(parallel.dataFiles()).isEqualTo((long) MANIFESTS * FILES_PER_MANIFEST);
        assertThat(parallel.smallFiles()).isEqualTo((long) MANIFESTS * ((FILES_PER_MANIFEST + 1) / 2));
        assertThat(parallel.totalRecords()).isEqualTo(10L * MANIFESTS * FILES_PER_MANIFEST);
        assertThat(parallel.positionDeleteFiles()).isEqualTo(3);
        assertThat(parallel.equalityDeleteFiles()).isEqualTo(1);
    }

    @Test
    void aManifestThatCannotBeReadFailsTheTableAndLeavesNoReadRunning() throws IOException {
        Table table = catalog.loadTable(TableIdentifier.of("db", "wide"));
        Files.delete(Path.of(URI.create(table.location() + "/metadata/bulk-m7.avro")));
        ManifestReadProbeFileIO.reset(false);

        assertThatThrownBy(() -> measure(4))
                .hasMessageContaining("bulk-m7.avro");
        assertThat(ManifestReadProbeFileIO.openNow()).as("every read ended before the failure was thrown").isZero();
    }
}
