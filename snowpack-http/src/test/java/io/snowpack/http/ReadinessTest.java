package io.snowpack.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.testkit.FaultyStore;
import io.snowpack.testkit.SettableClock;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code /readyz} while the database stops answering. */
class ReadinessTest {
    private static final SnowpackConfig NO_HEALTH_SYNC = SnowpackConfig.builder().healthSyncInterval(Duration.ZERO)
            .build();

    /**
     * Each {@code /readyz} used to start a probe thread of its own; a probe blocked on a database that does not
     * answer was abandoned but not stopped, so every call stranded one more thread. Now one probe is in flight at
     * a time and later calls wait for its answer (up to the timeout) instead of starting another.
     */
    @Test
    void aHangingDatabaseTiesUpOneProbeThreadHoweverOftenReadinessIsAsked() {
        FaultyStore database = new FaultyStore(InMemoryStore.create(new SettableClock()));
        try (SnowpackApi api = SnowpackApi.builder().store(database).config(NO_HEALTH_SYNC).build()) {
            database.hang();
            for (int call = 0; call < 3; call++) {
                ApiResponse response = api.handle(ApiRequest.of("GET", "/readyz"));
                assertThat(response.status()).isEqualTo(503);
                assertThat(response.bodyText()).contains("no answer within");
            }
            assertThat(threadsWaitingOnTheDatabase()).as("probe threads stuck in the database").isEqualTo(1);

            database.comeBack();
            assertThat(api.handle(ApiRequest.of("GET", "/readyz")).status()).isEqualTo(200);
        } finally {
            database.comeBack();
        }
    }

    private static long threadsWaitingOnTheDatabase() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().startsWith("snowpack-readiness"))
                .filter(thread -> Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getClassName().equals(FaultyStore.class.getName())))
                .count();
    }
}
