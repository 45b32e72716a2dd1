package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.testkit.LockAndClaimFuzz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario 4: sixteen threads on separate pooled connections hammer acquire / renew / release and claim /
 * complete on a real PostgreSQL for 30 s ({@code -Dsnowpack.fuzz.seconds} changes it), with random delays and
 * corrupted fences. The figures go to {@code target/reliability/contention-fuzz.txt} for RELIABILITY.md.
 */
class PostgresContentionFuzzTest {

    @Test
    void sixteenThreadsNeverShareALockOrAClaimAndEveryCorruptedFenceIsRefused() throws Exception {
        DataSource dataSource = TestDatabases.postgres();
        String schema = TestDatabases.newSchema(dataSource, "fuzz");
        Duration duration = Duration.ofSeconds(Long.getLong("snowpack.fuzz.seconds", 30));
        LockAndClaimFuzz.Report report;
        try (SnowpackStore store = JdbcStore.builder(dataSource).schema(schema).build()) {
            report = LockAndClaimFuzz.run(store, 16, duration);
        }

        write(report);
        assertThat(report.violations()).isEmpty();
        assertThat(report.acquisitions()).isGreaterThan(100);
        assertThat(report.claims()).isGreaterThan(100);
        assertThat(report.corruptedWrites()).isPositive().isEqualTo(report.refusedCorruptedWrites());
    }

    private static void write(LockAndClaimFuzz.Report report) throws IOException {
        Path out = Path.of("target", "reliability", "contention-fuzz.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString() + System.lineSeparator());
    }
}
