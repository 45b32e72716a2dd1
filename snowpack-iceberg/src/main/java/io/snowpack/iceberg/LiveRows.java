package io.snowpack.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.formats.ReadBuilder;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.util.PartitionUtil;

/**
 * Reads the live rows of scan tasks: the data file read through the table's name mapping
 * ({@code schema.name-mapping.default}, for files without field ids), its position deletes, deletion vectors and
 * equality deletes applied, each row a record of the read schema (without the {@code _pos} and equality columns
 * the delete filter adds). On a format v3 table the read schema ({@link #readSchema}) carries the row-lineage
 * columns {@code _row_id} and {@code _last_updated_sequence_number}, inherited from the file's first row id and
 * sequence number where the file does not hold them, so a rewrite that writes them keeps every row's lineage.
 * Counts the rows it read before deletes and the rows the deletes removed.
 */
final class LiveRows {
    private final Table table;
    private final Schema schema;
    private final NameMapping mapping;
    private final int columns;
    private long read;
    private long live;

    LiveRows(Table table, Schema schema) {
        this.table = table;
        this.schema = schema;
        this.columns = schema.columns().size();
        String json = table.properties().get(TableProperties.DEFAULT_NAME_MAPPING);
        this.mapping = json == null ? null : NameMappingParser.fromJson(json);
    }

    /**
     * The schema to read {@code table}'s rows with, and to write them back with: its current schema, plus the
     * row-lineage metadata columns on format v3 and later, which Iceberg requires a rewrite to carry.
     */
    static Schema readSchema(Table table) {
        Schema schema = table.schema();
        return TableUtil.formatVersion(table) >= 3 ? MetadataColumns.schemaWithRowLineage(schema) : schema;
    }

    /** Calls {@code sink} with each live row of {@code task}, a fresh record of the read schema. */
    void forEach(FileScanTask task, Consumer<Record> sink) {
        GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, schema, schema);
        Schema required = deletes.requiredSchema();
        ReadBuilder<Record, Schema> builder = FormatModelRegistry.<Record, Schema>readBuilder(task.file().format(),
                        Record.class, table.io().newInputFile(task.file().location()))
                .project(required)
                .idToConstant(PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant))
                .split(task.start(), task.length());
        if (mapping != null) {
            builder = builder.withNameMapping(mapping);
        }
        CloseableIterable<Record> rows = CloseableIterable.transform(builder.build(), row -> {
            read++;
            return row;
        });
        // the filter appends what it needs (_pos, equality columns) after the read schema's columns
        boolean extraColumns = required.columns().size() != schema.columns().size();
        try (CloseableIterable<Record> filtered = deletes.filter(rows)) {
            for (Record row : filtered) {
                live++;
                sink.accept(extraColumns ? copy(row) : row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + task.file().location() + " failed", e);
        }
    }

    private Record copy(Record row) {
        GenericRecord copy = GenericRecord.create(schema);
        for (int i = 0; i < columns; i++) {
            copy.set(i, row.get(i, Object.class));
        }
        return copy;
    }

    /** Rows read from the data files, before deletes. */
    long rowsRead() {
        return read;
    }

    /** Rows the deletes removed. */
    long rowsRemoved() {
        return read - live;
    }

    /** Rows that survived the deletes. */
    long rowsLive() {
        return live;
    }
}
