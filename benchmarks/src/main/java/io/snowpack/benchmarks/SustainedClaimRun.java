package io.snowpack.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sustained single claim + complete with 8 threads for a fixed time (default 5 minutes), printing jobs per
 * second for each minute, so any decay as dead rows pile up is visible. The queue is filled up front with more
 * jobs than the run can drain (3 million by default; {@code -Dstock=}), so claims never find it empty.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.snowpack.benchmarks.SustainedClaimRun [backend] [minutes] [threads]</pre>
 */
public final class SustainedClaimRun {
    private SustainedClaimRun() {
    }

    public static void main(String[] args) throws Exception {
        QueueBackend backend = QueueBackend.parse(args.length > 0 ? args[0] : "postgres");
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        QueueUnderTest queue = backend.open();
        int stock = Integer.getInteger("stock", 3_000_000);
        System.out.printf("Filling %,d jobs...%n", stock);
        queue.prefill(stock);
        LongAdder done = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String worker = "sustained-" + t;
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    done.add(queue.claimAndComplete(worker, 1));
                }
            });
            thread.start();
            workers.add(thread);
        }
        List<Double> perMinute = new ArrayList<>();
        long previous = 0;
        for (int minute = 1; minute <= minutes; minute++) {
            Thread.sleep(Duration.ofMinutes(1).toMillis());
            long total = done.sum();
            double rate = (total - previous) / 60.0;
            previous = total;
            perMinute.add(rate);
            System.out.printf("minute %d: %,.0f jobs/s%n", minute, rate);
        }
        running.set(false);
        for (Thread thread : workers) {
            thread.join();
        }
        System.out.printf("%s, %d threads: last minute / first minute = %.2f%n", backend, threads,
                perMinute.get(perMinute.size() - 1) / perMinute.get(0));
        queue.close();
        System.exit(0);
    }
}
