package io.snowpack.core.policy;

import io.snowpack.core.config.SnowpackConfig;
import io.snowpack.core.model.MaintenanceAction;
import io.snowpack.core.model.TableHealth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The policy of DESIGN §5, described on {@link MaintenancePolicy}: settings, gates, thresholds, then the executor. */
final class StandardPolicy implements MaintenancePolicy {
    private final SnowpackConfig config;
    private final Gates gates;
    private final ExecutorRouting routing;

    StandardPolicy(SnowpackConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.gates = new Gates(config);
        this.routing = ExecutorRouting.of(config);
    }

    @Override
    public MaintenancePlan plan(TableHealth health, Optional<Instant> lastMaintained, Instant now) {
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(lastMaintained, "lastMaintained");
        Objects.requireNonNull(now, "now");
        List<String> reasons = new ArrayList<>();
        TableSettings settings = TableSettings.resolve(health.properties(), config);
        reasons.addAll(settings.problems());
        Set<SkipReason> skippedBy = gates.check(health, settings, lastMaintained, now, reasons);
        List<MaintenanceAction> actions = List.of();
        if (skippedBy.isEmpty()) {
            actions = List.copyOf(Thresholds.actions(health, settings, now, reasons));
            if (actions.isEmpty()) {
                reasons.add("healthy: no threshold crossed");
            }
        }
        ExecutorRoute executor = routing.route(health);
        reasons.add(executor.reason());
        return new MaintenancePlan(health.table(), skippedBy, actions, reasons, executor);
    }

    @Override
    public List<String> thresholdsCrossed(TableHealth health, Instant now) {
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(now, "now");
        List<String> reasons = new ArrayList<>();
        TableSettings settings = TableSettings.resolve(health.properties(), config);
        Thresholds.actions(health.toBuilder().reasons(List.of()).build(), settings, now, reasons);
        return reasons.stream()
                .filter(reason -> Arrays.stream(MaintenanceAction.values())
                        .anyMatch(action -> reason.startsWith(action.wireName() + ":")))
                .toList();
    }
}
