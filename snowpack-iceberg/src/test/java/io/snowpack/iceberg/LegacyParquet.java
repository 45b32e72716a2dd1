package io.snowpack.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.types.Types;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Parquet files as migrate / add_files bring them in: written by plain Parquet, without Iceberg field ids, with
 * their columns in another order than the table's ({@code id, note, category}), so only the table's name mapping
 * tells which column is which.
 */
final class LegacyParquet {
    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "category", Types.StringType.get()),
            Types.NestedField.optional(3, "note", Types.StringType.get()));
    private static final MessageType NO_IDS = MessageTypeParser.parseMessageType(
            "message legacy { required int64 id; optional binary note (UTF8); optional binary category (UTF8); }");

    private LegacyParquet() {
    }

    /** The table property that maps the file columns to {@link #SCHEMA} by name. */
    static String nameMapping() {
        return NameMappingParser.toJson(MappingUtil.create(SCHEMA));
    }

    /**
     * Writes {@code files} files of {@code rows} rows each under {@code dir} (ids from {@code firstId}) and adds
     * them to the unpartitioned {@code table} in one append.
     */
    static void add(Table table, Path dir, int files, int rows, long firstId) {
        AppendFiles append = table.newAppend();
        SimpleGroupFactory groups = new SimpleGroupFactory(NO_IDS);
        long id = firstId;
        try {
            Files.createDirectories(dir);
            for (int f = 0; f < files; f++) {
                Path file = dir.resolve("legacy-" + id + ".parquet");
                try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(
                        new org.apache.hadoop.fs.Path(file.toUri())).withType(NO_IDS)
                        .withConf(new Configuration()).build()) {
                    for (int r = 0; r < rows; r++, id++) {
                        writer.write(groups.newGroup().append("id", id).append("note", "note " + id)
                                .append("category", RichRows.CATEGORIES[(int) (id % 3)]));
                    }
                }
                append.appendFile(DataFiles.builder(PartitionSpec.unpartitioned())
                        .withPath(file.toUri().toString()).withFileSizeInBytes(Files.size(file))
                        .withRecordCount(rows).withFormat(FileFormat.PARQUET).build());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        append.commit();
    }

    /** Whether {@code table} reads unmapped files through a name mapping. */
    static boolean mapped(Table table) {
        return table.properties().containsKey(TableProperties.DEFAULT_NAME_MAPPING);
    }
}
