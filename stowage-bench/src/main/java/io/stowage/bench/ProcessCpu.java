package io.stowage.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time spent so far by this JVM and, when one is named, by a PostgreSQL server (its postmaster and every process
 * it started), read from {@code /proc}: on a machine shared with other work, CPU per operation is steadier than wall
 * time. Zero for the server where {@code /proc} is not there to read.
 */
final class ProcessCpu {

    /** Linux's clock ticks per second for {@code /proc/<pid>/stat} (USER_HZ, 100 on every architecture it runs on). */
    private static final long TICK_NANOS = 10_000_000L;

    private final long postmaster;

    /** @param postmaster the server's postmaster process id, or 0 for none */
    ProcessCpu(long postmaster) {
        this.postmaster = postmaster;
    }

    /** Nanoseconds of CPU (user and system) this JVM has used. */
    static long jvm() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Nanoseconds of CPU the server's living processes have used (those that ended are counted in none). */
    long server() {
        if (postmaster == 0) {
            return 0;
        }
        long ticks = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                String[] f = fields(p.resolve("stat"));
                if (f != null && (Long.parseLong(name) == postmaster || Long.parseLong(f[1]) == postmaster)) {
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * TICK_NANOS;
    }

    /**
     * This JVM's CPU by kind of thread, in nanoseconds: {the benchmark's pool user, its system, compilers, GC, others}
     * ({@code pool-} threads are the benchmark's, the JDK names its compiler and GC threads).
     */
    static long[] threads() {
        long[] out = new long[5];
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException e) {
                    continue;
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long user = Long.parseLong(f[11]) * TICK_NANOS;
                long system = Long.parseLong(f[12]) * TICK_NANOS;
                if (comm.startsWith("pool-")) {
                    out[0] += user;
                    out[1] += system;
                } else if (comm.contains("Compiler")) {
                    out[2] += user + system;
                } else if (comm.startsWith("GC") || comm.startsWith("G1")) {
                    out[3] += user + system;
                } else {
                    out[4] += user + system;
                }
            }
        } catch (IOException e) {
            // none
        }
        return out;
    }

    /** The parent of process {@code pid}, or 0 when it cannot be read. */
    static long parent(long pid) {
        String[] f = fields(Path.of("/proc", Long.toString(pid), "stat"));
        return f == null ? 0 : Long.parseLong(f[1]);
    }

    /** The fields of a {@code stat} file after the command's name: state, ppid, ... utime is [11], stime [12]. */
    private static String[] fields(Path stat) {
        try {
            String s = Files.readString(stat);
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
