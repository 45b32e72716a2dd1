package io.snowpack.iceberg;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.util.PropertyUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metadata JSON files that fell off a table's metadata log and were never deleted, for {@code expire_snapshots}.
 *
 * <p>Iceberg keeps at most {@code write.metadata.previous-versions-max} earlier metadata files in the log and
 * deletes those that fall off it at commit only when {@code write.metadata.delete-after-commit.enabled=true}: the
 * ones that fell off before the switch was set stay on storage, and no snapshot expiry or orphan removal ever
 * deletes them (an orphan scan follows the log into older metadata files and finds them referenced). The same
 * switch is the opt-in here: without it nothing is looked for.
 *
 * <p>A file is stale when it is a {@code *.metadata.json} file directly in the directory of the current metadata
 * file, is neither the current metadata file nor listed in the log, and is older than the oldest file the log
 * lists both by the version in its name ({@code 00012-<uuid>.metadata.json} or {@code v12.metadata.json}) and by
 * its modification time, and older than the orphan age (never under the floor). A file whose name has no version
 * is never stale. The directory is listed through the FileIO's prefix listing (with a trailing {@code /}, anything
 * listed outside it dropped); a FileIO that cannot list makes the search skipped, not failed. Right before
 * deleting, the table is read again and any file its metadata lists, or whose version is not older than its
 * oldest logged file, is kept.
 */
final class StaleMetadataFiles {
    private static final Logger LOG = LoggerFactory.getLogger(StaleMetadataFiles.class);
    private static final String SUFFIX = ".metadata.json";

    private final List<FileInfo> files;
    private final String skipped;

    private StaleMetadataFiles(List<FileInfo> files, String skipped) {
        this.files = files;
        this.skipped = skipped;
    }

    /** The stale files now (none when the search was skipped). */
    List<FileInfo> files() {
        return files;
    }

    /** Why nothing was looked for, or {@code null} when the directory was searched. */
    String skipped() {
        return skipped;
    }

    /** The stale metadata files of {@code table}, judged at {@code now} with files younger than {@code age} kept. */
    static StaleMetadataFiles find(Table table, Duration age, Instant now) {
        if (!PropertyUtil.propertyAsBoolean(table.properties(), TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED,
                TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED_DEFAULT)) {
            return new StaleMetadataFiles(List.of(), "metadata files off the metadata log are kept: "
                    + TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED + " is not true");
        }
        if (!(table.io() instanceof SupportsPrefixOperations listing)) {
            return new StaleMetadataFiles(List.of(), "metadata files off the metadata log were not looked for: the "
                    + "table's FileIO (" + table.io().getClass().getSimpleName() + ") cannot list files");
        }
        TableMetadata metadata = ((HasTableOperations) table).operations().current();
        List<TableMetadata.MetadataLogEntry> log = metadata.previousFiles();
        if (log.isEmpty() || metadata.metadataFileLocation() == null) {
            return new StaleMetadataFiles(List.of(), null);
        }
        TableMetadata.MetadataLogEntry oldest = log.get(0);
        OptionalLong oldestVersion = version(oldest.file());
        if (oldestVersion.isEmpty()) {
            return new StaleMetadataFiles(List.of(), "metadata files off the metadata log were not looked for: the "
                    + "oldest logged file " + oldest.file() + " has no version in its name");
        }
        Set<String> listed = referenced(metadata);
        String current = metadata.metadataFileLocation();
        String directory = current.substring(0, current.lastIndexOf('/') + 1);
        String under = TableLocations.asDirectory(Reachability.normalize(directory));
        String oldestPath = Reachability.normalize(oldest.file());
        long oldestModified = oldest.timestampMillis(); // when it was committed, unless the listing says otherwise
        long cutoff = now.minus(age).toEpochMilli();
        List<FileInfo> older = new ArrayList<>();
        for (FileInfo file : listing.listPrefix(directory)) {
            String path = Reachability.normalize(file.location());
            if (path.equals(oldestPath)) {
                oldestModified = file.createdAtMillis();
            }
            if (!path.startsWith(under) || path.indexOf('/', under.length()) >= 0 || !path.endsWith(SUFFIX)
                    || listed.contains(path)) {
                continue;
            }
            OptionalLong version = version(path);
            if (version.isPresent() && version.getAsLong() < oldestVersion.getAsLong()
                    && file.createdAtMillis() < cutoff) {
                older.add(file);
            }
        }
        long reference = oldestModified;
        List<FileInfo> stale = older.stream().filter(f -> f.createdAtMillis() < reference).toList();
        LOG.info("{}: {} metadata files in {} are off the metadata log and older than its oldest file {} and than "
                + "{} h", table.name(), stale.size(), directory, oldest.file(), age.toHours());
        return new StaleMetadataFiles(stale, null);
    }

    /**
     * Reads {@code table} again and deletes the stale files its fresh metadata does not list, each logged.
     *
     * @return the files deleted
     */
    long delete(Table table) {
        if (files.isEmpty()) {
            return 0;
        }
        table.refresh();
        TableMetadata fresh = ((HasTableOperations) table).operations().current();
        Set<String> listed = referenced(fresh);
        long oldestNow = fresh.previousFiles().isEmpty() ? -1
                : version(fresh.previousFiles().get(0).file()).orElse(-1);
        long deleted = 0;
        for (FileInfo file : files) {
            String path = Reachability.normalize(file.location());
            if (listed.contains(path) || version(path).orElse(Long.MAX_VALUE) >= oldestNow) {
                LOG.warn("Kept metadata file {}: the table's metadata read again lists it or a file as old",
                        file.location());
                continue;
            }
            table.io().deleteFile(file.location());
            deleted++;
            LOG.info("Deleted metadata file {} ({} bytes): off the metadata log of {}", file.location(), file.size(),
                    table.name());
        }
        return deleted;
    }

    /** The current metadata file and every file of its log, normalised. */
    private static Set<String> referenced(TableMetadata metadata) {
        Set<String> paths = new HashSet<>();
        paths.add(Reachability.normalize(metadata.metadataFileLocation()));
        metadata.previousFiles().forEach(entry -> paths.add(Reachability.normalize(entry.file())));
        return paths;
    }

    /**
     * The version in a metadata file's name: the digits before the first {@code -} of a catalog table's
     * {@code 00012-<uuid>[.codec].metadata.json}, or after the {@code v} of a Hadoop table's
     * {@code v12[.codec].metadata.json}; empty for any other name.
     */
    static OptionalLong version(String location) {
        String name = location.substring(location.lastIndexOf('/') + 1);
        if (!name.endsWith(SUFFIX)) {
            return OptionalLong.empty();
        }
        int start = name.startsWith("v") ? 1 : 0;
        int end = start;
        while (end < name.length() && Character.isDigit(name.charAt(end)) && name.charAt(end) < 128) {
            end++;
        }
        char after = end < name.length() ? name.charAt(end) : ' ';
        boolean terminated = start == 1 ? after == '.' : after == '-';
        if (end == start || !terminated || end - start > 18) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(name.substring(start, end)));
    }
}
