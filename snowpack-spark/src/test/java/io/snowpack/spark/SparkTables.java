package io.snowpack.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import io.snowpack.core.model.TableId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.SparkSession;

/**
 * Real Iceberg tables for the Spark tests: created through the catalog, rows appended by Spark (one data file per
 * partition per task), position deletes by Spark's merge-on-read {@code DELETE}, equality deletes written with
 * Iceberg's generic writers; and the oracle, every live row read back with Iceberg's own generic reader (deletes
 * applied), independent of Spark and of Snowpack.
 */
final class SparkTables {
    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "category", Types.StringType.get()),
            Types.NestedField.required(3, "amount", Types.DoubleType.get()),
            Types.NestedField.optional(4, "note", Types.StringType.get()));
    static final PartitionSpec BY_CATEGORY = PartitionSpec.builderFor(SCHEMA).identity("category").build();
    private static final String[] CATEGORIES = {"a", "b", "c"};

    final Catalog catalog;
    final SparkSession spark;
    final TableId id;

    SparkTables(String database, String table) {
        this.catalog = SharedSpark.catalog();
        this.spark = SharedSpark.session();
        this.id = TableId.of(database, table);
        if (!((SupportsNamespaces) catalog).namespaceExists(Namespace.of(database))) {
            ((SupportsNamespaces) catalog).createNamespace(Namespace.of(database));
        }
    }

    Table create(PartitionSpec spec, Map<String, String> properties) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("format-version", "2",
                "write.delete.mode", "merge-on-read", "write.update.mode", "merge-on-read",
                "write.merge.mode", "merge-on-read"));
        all.putAll(properties);
        return catalog.createTable(identifier(), SCHEMA, spec, all);
    }

    TableIdentifier identifier() {
        return TableIdentifier.of(id.database(), id.table());
    }

    Table load() {
        return catalog.loadTable(identifier());
    }

    String sqlName() {
        return SharedSpark.CATALOG + "." + id.database() + "." + id.table();
    }

    /** Appends rows {@code [from, to)} through Spark in {@code files} tasks (a file per partition per task). */
    void append(long from, long to, int files) {
        try {
            spark.range(from, to, 1, files)
                    .select(col("id"),
                            org.apache.spark.sql.functions.element_at(
                                    org.apache.spark.sql.functions.array(lit("a"), lit("b"), lit("c")),
                                    col("id").mod(3).plus(1).cast("int")).as("category"),
                            col("id").multiply(1.5).as("amount"),
                            concat(lit("note-"), col("id").cast("string")).as("note"))
                    .writeTo(sqlName()).append();
        } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Appends rows {@code [from, to)} without Spark: one data file per category, written with Iceberg's generic
     * writer and committed as one append (milliseconds, where a Spark write takes a second).
     */
    void appendDirect(long from, long to) {
        Table table = load();
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 5, System.nanoTime()).format(FileFormat.PARQUET)
                .build();
        org.apache.iceberg.AppendFiles append = table.newAppend();
        for (int c = 0; c < CATEGORIES.length; c++) {
            PartitionKey partition = new PartitionKey(table.spec(), table.schema());
            GenericRecord sample = GenericRecord.create(table.schema());
            sample.setField("category", CATEGORIES[c]);
            partition.partition(sample);
            org.apache.iceberg.io.DataWriter<Record> writer = writers.newDataWriter(
                    table.spec().isPartitioned() ? out.newOutputFile(partition) : out.newOutputFile(),
                    table.spec(), table.spec().isPartitioned() ? partition : null);
            try (writer) {
                for (long id = from; id < to; id++) {
                    if (id % CATEGORIES.length == c) {
                        GenericRecord row = GenericRecord.create(table.schema());
                        row.setField("id", id);
                        row.setField("category", CATEGORIES[c]);
                        row.setField("amount", id * 1.5);
                        row.setField("note", "note-" + id);
                        writer.write(row);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            append.appendFile(writer.toDataFile());
        }
        append.commit();
    }

    /** Spark's merge-on-read {@code DELETE}: position delete files. */
    void deleteWhere(String condition) {
        spark.sql("DELETE FROM " + sqlName() + " WHERE " + condition);
    }

    /** Equality deletes on {@code id}: one file per category holding the given ids of that category. */
    void equalityDelete(long... ids) {
        Table table = load();
        Schema idOnly = table.schema().select("id");
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .deleteFileFormat(FileFormat.PARQUET)
                .equalityFieldIds(new int[] {table.schema().findField("id").fieldId()})
                .equalityDeleteRowSchema(idOnly).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 7, System.nanoTime()).format(FileFormat.PARQUET)
                .build();
        RowDelta delta = table.newRowDelta();
        for (int c = 0; c < CATEGORIES.length; c++) {
            PartitionKey partition = new PartitionKey(table.spec(), table.schema());
            GenericRecord sample = GenericRecord.create(table.schema());
            sample.setField("category", CATEGORIES[c]);
            partition.partition(sample);
            EqualityDeleteWriter<Record> writer = writers.newEqualityDeleteWriter(out.newOutputFile(partition),
                    table.spec(), partition);
            try (writer) {
                for (long id : ids) {
                    if (id % CATEGORIES.length == c) {
                        GenericRecord row = GenericRecord.create(idOnly);
                        row.setField("id", id);
                        writer.write(row);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            delta.addDeletes(writer.toDeleteFile());
        }
        delta.commit();
    }

    /** Every live row (deletes applied), as sorted text: the oracle a rewrite must leave unchanged. */
    List<String> rows() {
        List<String> rows = new ArrayList<>();
        Table table = load();
        // only the table's columns: with deletes to apply, the reader's records also carry the row position
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(r -> rows.add(table.schema().columns().stream()
                    .map(column -> String.valueOf(r.getField(column.name())))
                    .collect(java.util.stream.Collectors.joining(", ", "(", ")"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows.sort(null);
        return rows;
    }

    /** The live data files, with their column statistics. */
    List<DataFile> dataFiles() {
        List<DataFile> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = load().newScan().includeColumnStats().planFiles()) {
            tasks.forEach(task -> files.add(task.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The distinct delete files live data files still have. */
    long deleteFiles() {
        java.util.Set<String> locations = new java.util.HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = load().newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                task.deletes().forEach(delete -> locations.add(delete.location()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return locations.size();
    }

    String metadataLocation() {
        return ((org.apache.iceberg.HasTableOperations) load()).operations().current().metadataFileLocation();
    }
}
