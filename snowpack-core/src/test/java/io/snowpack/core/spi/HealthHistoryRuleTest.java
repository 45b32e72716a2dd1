package io.snowpack.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthHistoryRuleTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final TableHealth MEASURED = TableHealth.builder(TableId.parse("demo.events")).dataFiles(10)
            .smallFiles(4).snapshots(3).oldestSnapshotAt(T0.minusSeconds(3600).plusNanos(1_234_567))
            .property("snowpack.maintenance_enabled", "true").reasons(List.of("rewrite_data_files: 4 small files"))
            .syncedAt(T0).build();
    private final HealthHistoryRule rule = new HealthHistoryRule(Duration.ofHours(24));

    @Test
    void theFirstMeasurementIsAlwaysRecorded() {
        assertThat(rule.appends(Optional.empty(), MEASURED)).isTrue();
    }

    @Test
    void anUnchangedMeasurementIsRecordedOncePerInterval() {
        assertThat(rule.appends(Optional.of(MEASURED), at(Duration.ofMinutes(15)))).isFalse();
        assertThat(rule.appends(Optional.of(MEASURED), at(Duration.ofHours(24).minusNanos(1000)))).isFalse();
        assertThat(rule.appends(Optional.of(MEASURED), at(Duration.ofHours(24)))).isTrue();
    }

    @Test
    void anyChangedFieldIsRecordedAtOnceButTimestampPrecisionIsNoChange() {
        Instant later = T0.plus(Duration.ofMinutes(15));
        assertThat(rule.appends(Optional.of(MEASURED), MEASURED.toBuilder().dataFiles(11).syncedAt(later).build()))
                .isTrue();
        assertThat(rule.appends(Optional.of(MEASURED), MEASURED.toBuilder().reasons(List.of()).syncedAt(later)
                .build())).isTrue();
        assertThat(rule.appends(Optional.of(MEASURED), MEASURED.toBuilder()
                .property("snowpack.maintenance_enabled", "false").syncedAt(later).build())).isTrue();
        // Backends store microseconds: the nanoseconds a stored oldest-snapshot time lost are not a change.
        TableHealth stored = MEASURED.toBuilder().oldestSnapshotAt(T0.minusSeconds(3600).plusNanos(1_234_000)).build();
        assertThat(rule.appends(Optional.of(stored), at(Duration.ofMinutes(15)))).isFalse();
    }

    @Test
    void aNonPositiveIntervalIsRefusedNamingIt() {
        assertThatThrownBy(() -> new HealthHistoryRule(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> new HealthHistoryRule(Duration.ofHours(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1H");
    }

    private static TableHealth at(Duration after) {
        return MEASURED.toBuilder().syncedAt(T0.plus(after)).build();
    }
}
