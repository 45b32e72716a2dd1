package io.snowpack.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quickstart's demo database {@code demo}, written as real Parquet through the catalog it is given:
 * {@code events} (hundreds of small files over dozens of snapshots, a few position-delete files, opted in),
 * {@code orders} (a few files, opted in, healthy) and {@code clicks} (many small files, not opted in). A table that
 * already exists is left as it is, so a second run reuses the data.
 */
public final class DemoWarehouse {
    private static final Logger LOG = LoggerFactory.getLogger(DemoWarehouse.class);

    public static final Namespace DEMO = Namespace.of("demo");
    public static final TableIdentifier EVENTS = TableIdentifier.of(DEMO, "events");
    public static final TableIdentifier ORDERS = TableIdentifier.of(DEMO, "orders");
    public static final TableIdentifier CLICKS = TableIdentifier.of(DEMO, "clicks");

    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "user_id", Types.LongType.get()),
            Types.NestedField.required(3, "kind", Types.StringType.get()),
            Types.NestedField.required(4, "at", Types.TimestampType.withZone()));
    private static final String[] KINDS = {"view", "click", "purchase", "refund"};
    static final int EVENT_COMMITS = 40;
    static final int EVENT_FILES_PER_COMMIT = 6;
    static final int ROWS_PER_FILE = 25;
    static final int EVENT_DELETE_FILES = 6;

    private final Catalog catalog;

    public DemoWarehouse(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Creates whichever demo table is missing; returns the tables created. */
    public List<TableIdentifier> ensure() {
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(DEMO)) {
            namespaces.createNamespace(DEMO);
        }
        List<TableIdentifier> created = new ArrayList<>();
        if (!catalog.tableExists(EVENTS)) {
            Table events = create(EVENTS, true);
            long id = append(events, EVENT_COMMITS, EVENT_FILES_PER_COMMIT, 0);
            deletePositions(events, EVENT_DELETE_FILES);
            LOG.info("Created demo.events: {} rows in {} files, {} position-delete files", id,
                    EVENT_COMMITS * EVENT_FILES_PER_COMMIT, EVENT_DELETE_FILES);
            created.add(EVENTS);
        }
        if (!catalog.tableExists(ORDERS)) {
            append(create(ORDERS, true), 1, 3, 0);
            created.add(ORDERS);
        }
        if (!catalog.tableExists(CLICKS)) {
            append(create(CLICKS, false), 10, 5, 0);
            created.add(CLICKS);
        }
        return created;
    }

    private Table create(TableIdentifier id, boolean optedIn) {
        Map<String, String> properties = Map.of(
                TableProperties.FORMAT_VERSION, "2",
                "snowpack.maintenance_enabled", Boolean.toString(optedIn));
        return catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned(), properties);
    }

    /** Appends {@code commits} snapshots of {@code filesPerCommit} files each; returns the next id. */
    private static long append(Table table, int commits, int filesPerCommit, long firstId) {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET).dataSchema(table.schema()).build();
        OutputFileFactory files = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET).build();
        long id = firstId;
        OffsetDateTime start = OffsetDateTime.of(2026, 11, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        for (int commit = 0; commit < commits; commit++) {
            AppendFiles append = table.newAppend();
            for (int file = 0; file < filesPerCommit; file++) {
                DataWriter<Record> writer = writers.newDataWriter(files.newOutputFile(), table.spec(), null);
                try (writer) {
                    for (int row = 0; row < ROWS_PER_FILE; row++, id++) {
                        GenericRecord record = GenericRecord.create(table.schema());
                        record.setField("id", id);
                        record.setField("user_id", id % 97);
                        record.setField("kind", KINDS[(int) (id % KINDS.length)]);
                        record.setField("at", start.plusMinutes(id));
                        writer.write(record);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                append.appendFile(writer.toDataFile());
            }
            append.commit();
        }
        return id;
    }

    /** Writes {@code count} position-delete files, each deleting the first row of a different data file. */
    private static void deletePositions(Table table, int count) {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .deleteFileFormat(FileFormat.PARQUET).build();
        OutputFileFactory files = OutputFileFactory.builderFor(table, 1, 2).format(FileFormat.PARQUET).build();
        List<DataFile> dataFiles = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> dataFiles.add(task.file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < count && i < dataFiles.size(); i++) {
            PositionDeleteWriter<Record> writer =
                    writers.newPositionDeleteWriter(files.newOutputFile(), table.spec(), null);
            try (writer) {
                writer.write(PositionDelete.<Record>create().set(dataFiles.get(i).location(), 0L));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            DeleteFile deletes = writer.toDeleteFile();
            RowDelta delta = table.newRowDelta().addDeletes(deletes);
            delta.commit();
        }
    }
}
