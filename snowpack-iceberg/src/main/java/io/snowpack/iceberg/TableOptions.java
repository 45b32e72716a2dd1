package io.snowpack.iceberg;

import io.snowpack.core.config.TablePropertyDefaults;
import io.snowpack.core.policy.TableProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The maintenance options of one table: each {@code snowpack.*} property when set and valid, else the matching
 * Iceberg property where there is one ({@code write.target-file-size-bytes}, {@code history.expire.*}), else the
 * configured default. Every {@code snowpack.*} key that is unknown or whose value cannot be used is listed in
 * {@link #problems()}.
 */
record TableOptions(
        long targetFileSizeBytes,
        int minInputFiles,
        int deleteFileThreshold,
        int rewriteDataDeleteFileThreshold,
        double rewriteDataDeleteRatioThreshold,
        int partialProgressMaxCommits,
        boolean rewriteAll,
        Duration maxSnapshotAge,
        int minSnapshotsToKeep,
        Duration orphanFileAge,
        boolean verifyAfterCommit,
        List<String> problems) {

    static final String ICEBERG_TARGET_FILE_SIZE = "write.target-file-size-bytes";

    static TableOptions of(Map<String, String> properties, TablePropertyDefaults defaults) {
        Reader r = new Reader(properties);
        long target = r.positiveLong(TableProperties.TARGET_FILE_SIZE_BYTES)
                .or(() -> r.icebergLong(ICEBERG_TARGET_FILE_SIZE)).orElse(defaults.targetFileSizeBytes());
        Duration maxAge = r.positiveInt(TableProperties.MAX_SNAPSHOT_AGE_DAYS).map(d -> Duration.ofDays(d))
                .or(() -> r.icebergLong(TableProperties.ICEBERG_MAX_SNAPSHOT_AGE_MS).map(Duration::ofMillis))
                .orElse(Duration.ofDays(defaults.maxSnapshotAgeDays()));
        int keep = r.positiveInt(TableProperties.MIN_SNAPSHOTS_TO_KEEP)
                .or(() -> r.icebergInt(TableProperties.ICEBERG_MIN_SNAPSHOTS_TO_KEEP))
                .orElse(defaults.minSnapshotsToKeep());
        TableOptions options = new TableOptions(
                target,
                r.positiveInt(TableProperties.MIN_INPUT_FILES).orElse(defaults.minInputFiles()),
                r.positiveInt(TableProperties.DELETE_FILE_THRESHOLD).orElse(defaults.deleteFileThreshold()),
                r.positiveInt(TableProperties.REWRITE_DATA_DELETE_FILE_THRESHOLD)
                        .orElse(defaults.rewriteDataDeleteFileThreshold()),
                r.ratio(TableProperties.REWRITE_DATA_DELETE_RATIO_THRESHOLD)
                        .orElse(defaults.rewriteDataDeleteRatioThreshold()),
                r.positiveInt(TableProperties.PARTIAL_PROGRESS_MAX_COMMITS)
                        .orElse(defaults.partialProgressMaxCommits()),
                r.bool(TableProperties.REWRITE_DATA_REWRITE_ALL).orElse(defaults.rewriteDataRewriteAll()),
                maxAge,
                keep,
                Duration.ofDays(r.positiveInt(TableProperties.ORPHAN_FILE_AGE_DAYS)
                        .orElse(defaults.orphanFileAgeDays())),
                r.bool(TableProperties.VERIFY_AFTER_COMMIT).orElse(false),
                List.of());
        r.bool(TableProperties.MAINTENANCE_ENABLED);
        r.bool(TableProperties.COMPACTION_SKIP);
        r.positiveInt(TableProperties.MAINTENANCE_CADENCE_HOURS);
        properties.keySet().stream().filter(k -> k.startsWith("snowpack.") && !TableProperties.KNOWN.contains(k))
                .sorted().forEach(k -> r.problems.add(k + ": unknown snowpack property"));
        return options.withProblems(r.problems);
    }

    private TableOptions withProblems(List<String> found) {
        return new TableOptions(targetFileSizeBytes, minInputFiles, deleteFileThreshold,
                rewriteDataDeleteFileThreshold, rewriteDataDeleteRatioThreshold, partialProgressMaxCommits, rewriteAll,
                maxSnapshotAge, minSnapshotsToKeep, orphanFileAge, verifyAfterCommit, List.copyOf(found));
    }

    /** Files below this size count as small: 0.75 × the target, as Iceberg's bin-pack planner decides. */
    long smallFileBytes() {
        return (long) (targetFileSizeBytes * 0.75);
    }

    /** Parses properties, noting each bad {@code snowpack.*} value once. */
    private static final class Reader {
        private final Map<String, String> properties;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> properties) {
            this.properties = properties;
        }

        Optional<String> raw(String key) {
            return Optional.ofNullable(properties.get(key)).map(String::trim);
        }

        Optional<Integer> positiveInt(String key) {
            return positiveLong(key).flatMap(v -> {
                if (v > Integer.MAX_VALUE) {
                    problems.add(key + ": '" + v + "' is too large");
                    return Optional.empty();
                }
                return Optional.of(v.intValue());
            });
        }

        Optional<Long> positiveLong(String key) {
            return raw(key).flatMap(v -> {
                try {
                    long parsed = Long.parseLong(v);
                    if (parsed >= 1) {
                        return Optional.of(parsed);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                problems.add(key + ": '" + abbreviate(v) + "' is not a whole number >= 1");
                return Optional.empty();
            });
        }

        /** An Iceberg property: a bad value is Iceberg's business, so it is ignored rather than reported. */
        Optional<Long> icebergLong(String key) {
            return raw(key).flatMap(v -> {
                try {
                    long parsed = Long.parseLong(v);
                    return parsed >= 1 ? Optional.of(parsed) : Optional.empty();
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            });
        }

        /** An Iceberg property that must fit an int: a larger value is reported and the default used. */
        Optional<Integer> icebergInt(String key) {
            return icebergLong(key).flatMap(v -> {
                if (v > Integer.MAX_VALUE) {
                    problems.add(key + ": '" + v + "' is too large");
                    return Optional.empty();
                }
                return Optional.of(v.intValue());
            });
        }

        Optional<Double> ratio(String key) {
            return raw(key).flatMap(v -> {
                try {
                    double parsed = Double.parseDouble(v);
                    if (parsed > 0 && parsed <= 1) {
                        return Optional.of(parsed);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                problems.add(key + ": '" + abbreviate(v) + "' is not a number in (0, 1]");
                return Optional.empty();
            });
        }

        Optional<Boolean> bool(String key) {
            return raw(key).flatMap(v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> Optional.of(Boolean.TRUE);
                case "false" -> Optional.of(Boolean.FALSE);
                default -> {
                    problems.add(key + ": '" + abbreviate(v) + "' is neither true nor false");
                    yield Optional.empty();
                }
            });
        }

        private static String abbreviate(String value) {
            return value.length() <= 40 ? value : value.substring(0, 37) + "...";
        }
    }
}
