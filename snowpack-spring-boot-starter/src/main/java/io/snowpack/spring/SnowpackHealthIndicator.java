package io.snowpack.spring;

import io.snowpack.core.leader.LeaderElection;
import io.snowpack.core.runtime.SnowpackRuntime;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.Lease;
import io.snowpack.core.spi.SnowpackStore;
import io.snowpack.core.spi.TableSource;
import java.time.Instant;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Snowpack in the host's Actuator health, as {@code snowpack}: UP when the store answers and the job queue can be
 * read, DOWN (with the error) when it cannot. Details: {@code queue_ready_depth} (jobs waiting to be claimed),
 * {@code leader} (who holds the {@code scheduler} lease, or {@code none}), {@code leader_expires_at},
 * {@code this_process_leads} (when this process runs the scheduler role), and {@code catalog}: the host's
 * {@link SnowpackCatalogStatus} when it has one, else what the table cache says about the last health sync, or that
 * there is no table source. The catalog never makes the indicator DOWN.
 */
public final class SnowpackHealthIndicator implements HealthIndicator {
    private final SnowpackStore store;
    private final SnowpackRuntime runtime;
    private final TableSource tableSource;
    private final SnowpackCatalogStatus catalogStatus;

    /**
     * Reports on {@code store} and {@code runtime}; {@code tableSource} and {@code catalogStatus} may be null.
     */
    public SnowpackHealthIndicator(SnowpackStore store, SnowpackRuntime runtime, TableSource tableSource,
            SnowpackCatalogStatus catalogStatus) {
        this.store = store;
        this.runtime = runtime;
        this.tableSource = tableSource;
        this.catalogStatus = catalogStatus;
    }

    @Override
    public Health health() {
        Health.Builder health;
        try {
            long ready = store.queue().readyDepth();
            Optional<Lease> lease = store.leaders().current(LeaderElection.SCHEDULER);
            Instant now = store.now();
            health = Health.up().withDetail("queue_ready_depth", ready);
            Optional<Lease> current = lease.filter(l -> !l.isExpiredAt(now));
            health.withDetail("leader", current.map(Lease::holder).orElse("none"));
            current.ifPresent(l -> health.withDetail("leader_expires_at", l.expiresAt().toString()));
            health.withDetail("catalog", catalog());
        } catch (RuntimeException e) {
            return Health.down(e).withDetail("store", "unreachable").build();
        }
        runtime.leader().ifPresent(leader -> health.withDetail("this_process_leads", leader.isLeader()));
        return health.build();
    }

    private String catalog() {
        if (catalogStatus != null) {
            try {
                return String.valueOf(catalogStatus.status());
            } catch (RuntimeException e) {
                return "unknown: " + e;
            }
        }
        if (tableSource == null) {
            return "no table source: health sync is off";
        }
        CacheStatus cache = store.tables().status();
        return cache.lastSynced().map(at -> "last health sync at " + at + ", " + cache.tableCount() + " tables")
                .orElse("never synced");
    }
}
