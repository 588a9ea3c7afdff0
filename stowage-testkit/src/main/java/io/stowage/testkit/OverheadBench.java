package io.stowage.testkit;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What the backend overhead benchmarks (bench/s3-overhead, bench/azure-overhead) share: generated
 * content, timing, and the report of one round and of the medians, as raw SDK time ÷ Stowage time.
 */
public final class OverheadBench {

    private static final byte[] PATTERN = new byte[1 << 20];

    static {
        new Random(42).nextBytes(PATTERN);
    }

    private OverheadBench() {
    }

    /** One timed piece of work. */
    public interface Step {
        void run() throws Exception;
    }

    /** Nanoseconds {@code step} took. */
    public static long time(Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        return System.nanoTime() - start;
    }

    /** Times {@code raw} and {@code ours} in the order asked; returns {raw, ours} in nanoseconds. */
    public static long[] pair(boolean rawFirst, Step raw, Step ours) throws Exception {
        if (rawFirst) {
            long r = time(raw);
            return new long[] {r, time(ours)};
        }
        long o = time(ours);
        return new long[] {time(raw), o};
    }

    /** {@code size} bytes of a repeated random mebibyte, generated without holding them. */
    public static InputStream pattern(long size) {
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                return pos >= size ? -1 : PATTERN[(int) (pos++ % PATTERN.length)] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= size) {
                    return -1;
                }
                int at = (int) (pos % PATTERN.length);
                int n = (int) Math.min(Math.min(len, PATTERN.length - at), size - pos);
                System.arraycopy(PATTERN, at, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /**
     * The ratios of one round: put and get of the small objects, then of the large one.
     *
     * @param raw nanoseconds of the raw SDK, in the order small put, small get, large put, large get
     * @param ours nanoseconds of the Stowage store, in the same order
     */
    public static double[] round(int round, long[] raw, long[] ours) {
        double[] r = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            r[i] = (double) raw[i] / ours[i];
        }
        System.out.printf(Locale.ROOT, "round %d: small put %.2f (raw %d ms, stowage %d ms)  small get %.2f (%d / %d ms)"
                + "  large put %.2f (%d / %d ms)  large get %.2f (%d / %d ms)%n", round, r[0], ms(raw[0]), ms(ours[0]),
                r[1], ms(raw[1]), ms(ours[1]), r[2], ms(raw[2]), ms(ours[2]), r[3], ms(raw[3]), ms(ours[3]));
        return r;
    }

    /** The medians of every column of {@code ratios}, named, and the heap this ran in. */
    public static void report(String store, int count, long small, long large, List<double[]> ratios) {
        report(store, count, count, small, large, ratios);
    }

    /**
     * The medians of every column of {@code ratios}, named, and the heap this ran in, for rounds that
     * read the small objects {@code gets} times in all ({@code gets / puts} passes over them).
     */
    public static void report(String store, int puts, int gets, long small, long large, List<double[]> ratios) {
        String[] names = {"put " + puts + " x " + small / 1024 + " KiB", "get " + gets + " x " + small / 1024 + " KiB",
                "put " + large / (1024 * 1024) + " MiB (unknown length)", "get " + large / (1024 * 1024) + " MiB"};
        System.out.println("median ratio raw SDK time / " + store + " time (1.00 = no overhead; target >= 0.95):");
        for (int i = 0; i < names.length; i++) {
            int col = i;
            double[] values = ratios.stream().mapToDouble(r -> r[col]).sorted().toArray();
            System.out.printf(Locale.ROOT, "  %-34s %.2f%n", names[i], values[values.length / 2]);
        }
        System.out.printf(Locale.ROOT, "max heap of this JVM: %d MiB%n", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
