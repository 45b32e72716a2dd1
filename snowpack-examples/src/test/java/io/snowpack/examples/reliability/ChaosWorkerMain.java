package io.snowpack.examples.reliability;

import com.zaxxer.hikari.HikariDataSource;
import io.snowpack.examples.AppEnvironment;
import io.snowpack.examples.WorkerApp;
import java.lang.management.ManagementFactory;

/**
 * A worker process for the chaos tests: the real {@link WorkerApp}, configured by the same {@code SNOWPACK_*}
 * variables, with the {@link LedgerExecutor} in place of Iceberg.
 */
public final class ChaosWorkerMain {
    private ChaosWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        AppEnvironment environment = AppEnvironment.fromSystem();
        int code;
        try (HikariDataSource ledgerConnections = environment.dataSource(AppEnvironment.AppRole.WORKER)) {
            Ledger ledger = new Ledger(ledgerConnections, environment.schema());
            code = WorkerApp.run(environment,
                    new LedgerExecutor(ledger, ManagementFactory.getRuntimeMXBean().getName()));
        }
        System.exit(code);
    }
}
