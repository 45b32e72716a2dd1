package io.snowpack.iceberg;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.BaseDVFileWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;

/**
 * A real temporary warehouse for tests: an Iceberg {@link JdbcCatalog} over an in-memory H2 database, with
 * {@code HadoopFileIO} writing real Parquet files under a temporary directory.
 */
final class Warehouse implements AutoCloseable {
    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "kind", Types.StringType.get()),
            Types.NestedField.optional(3, "note", Types.StringType.get()));
    static final PartitionSpec BY_KIND = PartitionSpec.builderFor(SCHEMA).identity("kind").build();
    private static final AtomicInteger DATABASES = new AtomicInteger();

    final Catalog catalog;
    final Path root;
    /** Where {@link #create} puts each table ({@code location/db/name}) when the catalog was given, else null. */
    private final String tableRoot;
    private long nextId;

    Warehouse(Path root) {
        this(root, "org.apache.iceberg.hadoop.HadoopFileIO");
    }

    /** A warehouse whose catalog uses the FileIO class {@code ioImpl}, e.g. {@link RawPrefixFileIO}. */
    Warehouse(Path root, String ioImpl) {
        this(root, ioImpl, new JdbcCatalog());
    }

    /** A warehouse over {@code catalog} (a subclass of {@link JdbcCatalog} that injects faults, say). */
    Warehouse(Path root, String ioImpl, JdbcCatalog catalog) {
        this(root, root.toUri().toString(), Map.of(CatalogProperties.FILE_IO_IMPL, ioImpl), catalog);
    }

    /**
     * A warehouse at {@code location} (an {@code s3://} URI, say) whose catalog also gets {@code properties} (the
     * FileIO and its settings); {@link #root} is null.
     */
    Warehouse(String location, Map<String, String> properties) {
        this(null, location, properties, new JdbcCatalog());
    }

    /**
     * A warehouse over {@code catalog}, initialised by the caller (a REST catalog client, say), whose tables are
     * created under {@code location}; {@link #root} is null. Namespace {@code db} is created when missing.
     */
    Warehouse(String location, Catalog catalog) {
        this.root = null;
        this.catalog = catalog;
        this.tableRoot = location;
        if (!((SupportsNamespaces) catalog).namespaceExists(Namespace.of("db"))) {
            ((SupportsNamespaces) catalog).createNamespace(Namespace.of("db"));
        }
    }

    private Warehouse(Path root, String location, Map<String, String> properties, JdbcCatalog catalog) {
        this.root = root;
        this.catalog = catalog;
        this.tableRoot = null;
        catalog.setConf(new Configuration());
        Map<String, String> all = new HashMap<>(properties);
        all.put(CatalogProperties.URI, "jdbc:h2:mem:iceberg_" + DATABASES.incrementAndGet()
                + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE");
        all.put(CatalogProperties.WAREHOUSE_LOCATION, location);
        all.put("jdbc.schema-version", "V1");
        catalog.initialize("test", all);
        catalog.createNamespace(Namespace.of("db"));
    }

    Table create(String name, PartitionSpec spec, Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.putIfAbsent("format-version", "2");
        return create(name, SCHEMA, spec, all);
    }

    /** A table of any schema and spec in namespace {@code db}, format v2 unless {@code properties} say. */
    Table create(String name, Schema schema, PartitionSpec spec, Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.putIfAbsent("format-version", "2");
        Catalog.TableBuilder table = catalog.buildTable(TableIdentifier.of("db", name), schema).withPartitionSpec(spec)
                .withProperties(all);
        return (tableRoot == null ? table : table.withLocation(tableRoot + "/db/" + name)).create();
    }

    Table load(String name) {
        return catalog.loadTable(TableIdentifier.of("db", name));
    }

    /** Appends one snapshot of {@code files} files of {@code rows} rows; kinds cycle over {@code kinds}. */
    List<DataFile> append(Table table, int files, int rows, String... kinds) {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(table.schema()).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET)
                .build();
        AppendFiles append = table.newAppend();
        List<DataFile> written = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            String kind = kinds.length == 0 ? "a" : kinds[f % kinds.length];
            PartitionKey partition = null;
            if (!table.spec().isUnpartitioned()) {
                partition = new PartitionKey(table.spec(), table.schema());
                partition.partition(record(table, 0, kind));
            }
            DataWriter<Record> writer = writers.newDataWriter(
                    partition == null ? out.newOutputFile() : out.newOutputFile(partition), table.spec(), partition);
            try (writer) {
                for (int r = 0; r < rows; r++) {
                    writer.write(record(table, nextId++, kind));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written.add(writer.toDataFile());
            append.appendFile(writer.toDataFile());
        }
        append.commit();
        return written;
    }

    static GenericRecord record(Table table, long id, String kind) {
        GenericRecord record = GenericRecord.create(table.schema());
        record.setField("id", id);
        record.setField("kind", kind);
        record.setField("note", "row " + id);
        return record;
    }

    /** Commits one position-delete file deleting {@code positions} of {@code file}. */
    DeleteFile deletePositions(Table table, DataFile file, long... positions) {
        if (TableUtil.formatVersion(table) >= 3) {
            return deleteWithVector(table, file, positions);
        }
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .deleteFileFormat(FileFormat.PARQUET).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 2, System.nanoTime()).format(FileFormat.PARQUET)
                .build();
        PartitionSpec spec = table.specs().get(file.specId());
        // An unpartitioned spec's empty partition path would make a key with "//", which an S3 server may refuse.
        PositionDeleteWriter<Record> writer = writers.newPositionDeleteWriter(spec.isUnpartitioned()
                ? out.newOutputFile() : out.newOutputFile(spec, file.partition()), spec, file.partition());
        try (writer) {
            for (long position : positions) {
                writer.write(PositionDelete.<Record>create().set(file.location(), position));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DeleteFile deletes = writer.toDeleteFile();
        table.newRowDelta().addDeletes(deletes).commit();
        return deletes;
    }

    /**
     * On format v3, as Iceberg's writers do: one deletion vector for {@code file} holding {@code positions} merged
     * with what the file's current deletes (an earlier vector, or position-delete files kept from v2) remove; an
     * earlier vector is replaced in the same commit.
     */
    private static DeleteFile deleteWithVector(Table table, DataFile file, long... positions) {
        List<DeleteFile> current = new ArrayList<>();
        long start = table.currentSnapshot().snapshotId();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(start).planFiles()) {
            for (FileScanTask task : tasks) {
                if (task.file().location().equals(file.location())) {
                    task.deletes().stream().filter(d -> d.content() == FileContent.POSITION_DELETES)
                            .forEach(current::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BaseDeleteLoader loader = new BaseDeleteLoader(d -> table.io().newInputFile(d.location()));
        OutputFileFactory out = OutputFileFactory.builderFor(table, 2, System.nanoTime())
                .format(FileFormat.PUFFIN).build();
        BaseDVFileWriter writer = new BaseDVFileWriter(out,
                path -> current.isEmpty() ? null : loader.loadPositionDeletes(current, path));
        try (writer) {
            for (long position : positions) {
                writer.delete(file.location(), position, table.specs().get(file.specId()), file.partition());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RowDelta delta = table.newRowDelta().validateFromSnapshot(start);
        writer.result().deleteFiles().forEach(delta::addDeletes);
        writer.result().rewrittenDeleteFiles().forEach(delta::removeDeletes);
        delta.commit();
        return writer.result().deleteFiles().get(0);
    }

    /** Commits one equality-delete file (on {@code id}) deleting the given ids, in {@code kind}'s partition. */
    DeleteFile deleteIds(Table table, String kind, long... ids) {
        Schema idOnly = table.schema().select("id");
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .deleteFileFormat(FileFormat.PARQUET)
                .equalityFieldIds(new int[] {table.schema().findField("id").fieldId()})
                .equalityDeleteRowSchema(idOnly).build();
        OutputFileFactory out = OutputFileFactory.builderFor(table, 3, System.nanoTime()).format(FileFormat.PARQUET)
                .build();
        PartitionKey partition = null;
        if (!table.spec().isUnpartitioned()) {
            partition = new PartitionKey(table.spec(), table.schema());
            partition.partition(record(table, 0, kind));
        }
        EqualityDeleteWriter<Record> writer = writers.newEqualityDeleteWriter(
                partition == null ? out.newOutputFile() : out.newOutputFile(partition), table.spec(), partition);
        try (writer) {
            for (long id : ids) {
                GenericRecord row = GenericRecord.create(idOnly);
                row.setField("id", id);
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DeleteFile deletes = writer.toDeleteFile();
        table.newRowDelta().addDeletes(deletes).commit();
        return deletes;
    }

    /** The table's rows with deletes applied, as a sorted list of "id/kind/note" (a multiset). */
    static List<String> rows(Table table) {
        return rows(IcebergGenerics.read(table).build());
    }

    static List<String> rowsAt(Table table, long snapshotId) {
        return rows(IcebergGenerics.read(table).useSnapshot(snapshotId).build());
    }

    private static List<String> rows(CloseableIterable<Record> records) {
        List<String> rows = new ArrayList<>();
        try (records) {
            for (Record r : records) {
                rows.add(r.getField("id") + "/" + r.getField("kind") + "/" + r.getField("note"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows.sort(null);
        return rows;
    }

    static List<DataFile> liveDataFiles(Table table) {
        List<DataFile> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(t -> files.add(t.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The catalog's namespace operations (every catalog the tests use has them). */
    SupportsNamespaces namespaces() {
        return (SupportsNamespaces) catalog;
    }

    @Override
    public void close() {
        try {
            if (catalog instanceof Closeable closeable) {
                closeable.close();
            }
        } catch (IOException | RuntimeException e) {
            // the in-memory database goes with the JVM anyway
        }
    }
}
