package io.snowpack.core.model;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one action of a job did: whether it succeeded, a human summary ("Compacted 847 files into 52 files"),
 * the error when it failed, its wall-clock duration, and counts (files and bytes read and written, snapshots
 * expired, orphans deleted, ...).
 *
 * @param action         the action that ran
 * @param success        {@code true} when the action finished without error
 * @param message        a human-readable summary; never null
 * @param error          the error message on failure, {@code null} on success
 * @param elapsedSeconds wall-clock seconds the action took, {@code >= 0}
 * @param metrics        named counts; an immutable map sorted by name
 */
public record ActionResult(
        MaintenanceAction action,
        boolean success,
        String message,
        String error,
        double elapsedSeconds,
        Map<String, Long> metrics) {

    public ActionResult {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(message, "message");
        if (!(elapsedSeconds >= 0) || Double.isInfinite(elapsedSeconds)) {
            throw new IllegalArgumentException("elapsedSeconds must be a finite number >= 0, got " + elapsedSeconds);
        }
        if (success && error != null) {
            throw new IllegalArgumentException("a successful result carries no error, got: " + error);
        }
        if (!success && error == null) {
            throw new IllegalArgumentException("a failed result needs an error message");
        }
        metrics = metrics == null ? Map.of() : immutableSorted(metrics);
    }

    /** A successful result. */
    public static ActionResult succeeded(
            MaintenanceAction action, String message, double elapsedSeconds, Map<String, Long> metrics) {
        return new ActionResult(action, true, message, null, elapsedSeconds, metrics);
    }

    /** A failed result; {@code message} summarises, {@code error} carries the cause. */
    public static ActionResult failed(
            MaintenanceAction action, String error, double elapsedSeconds, Map<String, Long> metrics) {
        return new ActionResult(action, false, "failed", error, elapsedSeconds, metrics);
    }

    private static Map<String, Long> immutableSorted(Map<String, Long> metrics) {
        TreeMap<String, Long> copy = new TreeMap<>();
        metrics.forEach((name, value) -> copy.put(
                Objects.requireNonNull(name, "metric name"),
                Objects.requireNonNull(value, () -> "value of metric " + name)));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
