package io.snowpack.iceberg;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.ActionResult;
import io.snowpack.core.model.JobId;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.ActionRequest;
import io.snowpack.core.spi.Checkpoint;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.hadoop.HadoopCatalog;

/**
 * One maintenance action in a JVM of its own, for {@link HugeHistoryMemoryTest}: the parent starts it with a small
 * {@code -Xmx}, so finishing at all proves the action's memory bound. Arguments: the {@link HadoopCatalog}
 * warehouse, the table ({@code db.name}), the action's wire name, the days the clock runs ahead, the result file.
 * Deletions go through {@link RecordingFileIO}. The result file gets the action's metrics and the heap pools' peak
 * usage, as {@code key=value} lines.
 */
public final class BoundedHeapMaintenance {
    /** The orphan age for the run: files older than this are candidates. */
    static final Duration ORPHAN_AGE = Duration.ofHours(1);

    private BoundedHeapMaintenance() {
    }

    public static void main(String[] args) throws IOException {
        String warehouse = args[0];
        String[] table = args[1].split("\\.");
        MaintenanceAction action = MaintenanceAction.parse(args[2]);
        Duration ahead = Duration.ofDays(Long.parseLong(args[3]));
        Path result = Path.of(args[4]);
        HadoopCatalog catalog = new HadoopCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize("bounded", Map.of(CatalogProperties.WAREHOUSE_LOCATION, warehouse,
                CatalogProperties.FILE_IO_IMPL, RecordingFileIO.class.getName()));
        IcebergMaintenanceExecutor executor = IcebergMaintenanceExecutor.builder(catalog)
                .config(SnowpackConfig.defaults()).clock(Clock.offset(Clock.system(ZoneOffset.UTC), ahead))
                .orphanAgeOverrideForTests(ORPHAN_AGE).build();
        long begin = System.nanoTime();
        ActionResult outcome = executor.execute(new ActionRequest(JobId.random(), TableId.of(table[0], table[1]),
                action, 1, 1), Checkpoint.none());
        RecordingFileIO.flush();
        Map<String, Object> figures = new TreeMap<>(outcome.metrics());
        figures.put("seconds", (System.nanoTime() - begin) / 1e9);
        figures.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        figures.put("peak_heap_pools_bytes", peak);
        StringBuilder text = new StringBuilder();
        figures.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(result, text.toString());
    }
}
