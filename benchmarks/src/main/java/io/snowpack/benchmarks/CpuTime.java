package io.snowpack.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Processor time (user + system) spent so far by this JVM and by the PostgreSQL server the benchmark started, for
 * costs per job that do not depend on how the two cores were shared. The server's time is read from
 * {@code /proc/<pid>/stat} of every process named {@code postgres} (Linux; {@code 0} elsewhere), so processes that
 * exited meanwhile (autovacuum workers) are not counted, and a second server on the machine would be.
 */
final class CpuTime {
    /** {@code /proc} counts in USER_HZ, 100 per second on every Linux ABI. */
    private static final long MICROS_PER_TICK = 10_000;

    private CpuTime() {
    }

    static long thisJvmMicros() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1_000;
        }
        return 0;
    }

    static long postgresMicros() {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                ticks += postgresTicks(process);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
        return ticks * MICROS_PER_TICK;
    }

    /** utime + stime (fields 14 and 15 of {@code stat}) when the process is named {@code postgres}, else 0. */
    private static long postgresTicks(Path process) {
        String stat;
        try {
            stat = Files.readString(process.resolve("stat"));
        } catch (IOException e) {
            return 0; // exited meanwhile
        }
        int nameEnd = stat.lastIndexOf(')');
        if (nameEnd < 0 || !stat.substring(stat.indexOf('(') + 1, nameEnd).equals("postgres")) {
            return 0;
        }
        String[] fields = stat.substring(nameEnd + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
