package io.snowpack.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestWriter;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.types.Types;

/**
 * A real Iceberg table (Hadoop catalog on the local disk) whose current snapshot has {@code manifests} data
 * manifests of {@code filesPerManifest} data files each, committed by path in one fast append (the data files are
 * never written: health reads metadata only). Building it costs one manifest write per manifest, not one commit.
 * Its file IO adds an object store's latency to manifest reads when asked ({@link ObjectStoreLatencyFileIO}).
 */
final class WideTable {
    static final String DATABASE = "wide";
    static final String TABLE = "events";
    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "kind", Types.StringType.get()));
    private static final PartitionSpec BY_KIND = PartitionSpec.builderFor(SCHEMA).identity("kind").build();

    private WideTable() {
    }

    /**
     * A catalog over {@code warehouse} holding {@value #DATABASE}.{@value #TABLE}: the table already there when its
     * current snapshot has {@code manifests} manifests (a warehouse kept from an earlier run), else built.
     */
    static HadoopCatalog open(Path warehouse, int manifests, int filesPerManifest) {
        HadoopCatalog catalog = new HadoopCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize("wide", Map.of(CatalogProperties.WAREHOUSE_LOCATION, warehouse.toUri().toString(),
                CatalogProperties.FILE_IO_IMPL, ObjectStoreLatencyFileIO.class.getName()));
        TableIdentifier id = TableIdentifier.of(DATABASE, TABLE);
        if (catalog.tableExists(id)) {
            Table existing = catalog.loadTable(id);
            if (existing.currentSnapshot() != null
                    && existing.currentSnapshot().allManifests(existing.io()).size() == manifests) {
                return catalog;
            }
            catalog.dropTable(id, true);
        } else {
            catalog.createNamespace(Namespace.of(DATABASE));
        }
        Table table = catalog.createTable(TableIdentifier.of(DATABASE, TABLE), SCHEMA, BY_KIND,
                Map.of("format-version", "2", "snowpack.maintenance_enabled", "true"));
        AppendFiles append = table.newFastAppend();
        for (int m = 0; m < manifests; m++) {
            append.appendManifest(manifest(table, m, filesPerManifest));
        }
        append.commit();
        return catalog;
    }

    private static ManifestFile manifest(Table table, int m, int files) {
        ManifestWriter<DataFile> writer = ManifestFiles.write(2, table.spec(),
                table.io().newOutputFile(table.location() + "/metadata/bulk-m" + m + ".avro"), null);
        try (writer) {
            for (int f = 0; f < files; f++) {
                String kind = "k" + (m % 16);
                writer.add(DataFiles.builder(table.spec())
                        .withPath(table.location() + "/data/kind=" + kind + "/f-" + m + "-" + f + ".parquet")
                        .withFormat(FileFormat.PARQUET).withPartitionPath("kind=" + kind)
                        .withFileSizeInBytes(f % 3 == 0 ? 4L << 20 : 500L << 20).withRecordCount(100_000).build());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write manifest " + m + " of " + table.name(), e);
        }
        return writer.toManifestFile();
    }
}
