package io.snowpack.core.policy;

import java.util.Objects;

/**
 * Which executor maintains a table, and why.
 *
 * @param executor the executor chosen
 * @param reason   one human sentence starting with {@code "executor: "} and the executor's wire name, e.g.
 *                 {@code "executor: spark (auto: 2.1 TiB of data >= executor.spark_threshold_bytes 1.0 TiB; …)"}
 */
public record ExecutorRoute(ExecutorKind executor, String reason) {
    public ExecutorRoute {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(reason, "reason");
    }
}
