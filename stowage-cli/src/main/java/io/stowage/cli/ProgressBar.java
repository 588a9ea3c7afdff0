package io.stowage.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar on stderr, redrawn at most ten times a second. Not thread-safe. */
final class ProgressBar {

    /** Files smaller than this finish too fast for a bar to help. */
    static final long THRESHOLD = 8L << 20;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final long started = System.nanoTime();
    private long done;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintWriter err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = total;
    }

    /** A bar when stderr is a terminal and the transfer is large; otherwise none. */
    static ProgressBar maybe(CliContext ctx, String label, long total) {
        return ctx.interactive() && total >= THRESHOLD ? new ProgressBar(ctx.err(), label, total) : null;
    }

    void reset() {
        done = 0;
    }

    void advance(long n) {
        done += n;
        long now = System.nanoTime();
        if (now - lastDraw > 100_000_000L || done >= total) {
            lastDraw = now;
            draw();
        }
    }

    void finish() {
        if (drawn) {
            err.print('\n');
            err.flush();
        }
    }

    private void draw() {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) (fraction * WIDTH);
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        err.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %s / %s  %s/s ", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), (int) (fraction * 100), human(done), human(total),
                human((long) (done / seconds))));
        err.flush();
        drawn = true;
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String units = "KMGTPE";
        int u = -1;
        double v = bytes;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %siB", v, units.charAt(u));
    }

    /** {@code in}, advancing {@code bar} (when there is one) as bytes are read. */
    static InputStream counting(InputStream in, ProgressBar bar) {
        if (bar == null) {
            return in;
        }
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bar.advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    bar.advance(n);
                }
                return n;
            }
        };
    }
}
