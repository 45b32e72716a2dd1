package io.snowpack.examples;

import io.snowpack.core.model.TableHealth;
import java.util.List;

/** Table health as a fixed-width text table for a terminal; "delete files" counts deletion vectors too. */
final class HealthTable {
    private static final String FORMAT = "%-14s %-9s %10s %11s %13s %9s %10s  %s%n";

    private HealthTable() {
    }

    static String format(List<TableHealth> tables) {
        StringBuilder out = new StringBuilder(String.format(FORMAT, "table", "opted in", "data files",
                "small files", "delete files", "snapshots", "records", "needs maintenance"));
        for (TableHealth health : tables) {
            out.append(String.format(FORMAT, health.table().key(), health.maintenanceEnabled() ? "yes" : "no",
                    health.dataFiles(), health.smallFiles(),
                    health.positionDeleteFiles() + health.equalityDeleteFiles() + health.deletionVectors(),
                    health.snapshots(),
                    health.totalRecords(), health.needsMaintenance() ? "yes: " + String.join("; ", health.reasons())
                            : "no"));
        }
        return out.toString();
    }
}
