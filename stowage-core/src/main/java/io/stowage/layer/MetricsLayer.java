package io.stowage.layer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.HealthReport;
import io.stowage.StorageException;
import io.stowage.spi.io.RegionSink;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Micrometer metrics of one backend (the outermost layer, DESIGN §2):
 * <ul>
 *   <li>{@code stowage.operations} timer, tags {@code backend}, {@code operation}, {@code outcome}
 *       ({@code success} or the error kind in lower case); a get is timed until its read is open;
 *   <li>{@code stowage.bytes} counter, tags {@code backend}, {@code direction} ({@code in}: stored by puts and parts,
 *       {@code out}: delivered by get streams as they are read);
 *   <li>{@code stowage.errors} counter, tags {@code backend}, {@code kind};
 *   <li>{@code stowage.health.latency} timer, tags {@code backend}, {@code healthy}.
 * </ul>
 */
public final class MetricsLayer extends ForwardingLayer {

    public static final String OPERATIONS = "stowage.operations";
    public static final String BYTES = "stowage.bytes";
    public static final String ERRORS = "stowage.errors";
    public static final String HEALTH = "stowage.health.latency";

    private final MeterRegistry registry;
    private final String backend;
    // Meters are looked up once (here, or on an outcome's first occurrence), never per call.
    private final Map<Operation, Timer> successes = new EnumMap<>(Operation.class);
    private final Map<Operation, Map<ErrorKind, Timer>> failures = new EnumMap<>(Operation.class);
    private final Map<ErrorKind, Counter> errors = new ConcurrentHashMap<>();
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Timer healthy;
    private final Timer unhealthy;

    public MetricsLayer(BlobStore delegate, MeterRegistry registry) {
        super(delegate);
        this.registry = registry;
        this.backend = delegate.name();
        for (Operation op : Operation.values()) {
            successes.put(op, timer(op, "success"));
            failures.put(op, new ConcurrentHashMap<>());
        }
        this.bytesIn = Counter.builder(BYTES).tag("backend", backend).tag("direction", "in")
                .baseUnit("bytes").register(registry);
        this.bytesOut = Counter.builder(BYTES).tag("backend", backend).tag("direction", "out")
                .baseUnit("bytes").register(registry);
        this.healthy = healthTimer(true);
        this.unhealthy = healthTimer(false);
    }

    private Timer healthTimer(boolean isHealthy) {
        return Timer.builder(HEALTH).tag("backend", backend).tag("healthy", Boolean.toString(isHealthy)).register(registry);
    }

    private Timer timer(Operation op, String outcome) {
        return Timer.builder(OPERATIONS).tag("backend", backend).tag("operation", op.label()).tag("outcome", outcome)
                .register(registry);
    }

    /**
     * Every call, a feature's call among them, is timed and its errors counted; a put counts its bytes
     * in, and a read (a get, a version's read) is timed until it is open.
     */
    @Override
    protected <T> T call(Operation op, BlobKey key, Supplier<T> call) {
        T result = measured(op, call);
        if (op == Operation.PUT) {
            bytesIn.increment(((BlobInfo) result).size());
        } else if (op == Operation.PUT_PART) {
            bytesIn.increment(((io.stowage.PartUploads.Part) result).size());
        }
        return result;
    }

    /** The bytes a read's stream delivers count as {@code out}. */
    @Override
    protected InputStream stream(Operation op, BlobKey key, InputStream stream) {
        return new CountingStream(stream, bytesOut);
    }

    @Override
    public HealthReport health() {
        HealthReport report = delegate().health();
        (report.healthy() ? healthy : unhealthy).record(report.latency());
        return report;
    }

    private <T> T measured(Operation op, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T result = call.get();
            successes.get(op).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            return result;
        } catch (StorageException e) {
            failures.get(op).computeIfAbsent(e.kind(), k -> timer(op, outcome(k)))
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            errors.computeIfAbsent(e.kind(), k -> Counter.builder(ERRORS).tag("backend", backend)
                    .tag("kind", outcome(k)).register(registry)).increment();
            throw e;
        }
    }

    private static String outcome(ErrorKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Counts the bytes a caller reads. */
    private static final class CountingStream extends FilterInputStream {
        private final Counter counter;

        CountingStream(InputStream in, Counter counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counter.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                counter.increment(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return in.skip(n);
        }

        /** Hands the transfer to the underlying stream, keeping its own fast path, and counts what it wrote. */
        @Override
        public long transferTo(OutputStream out) throws IOException {
            Objects.requireNonNull(out, "out");
            CountingSink sink = new CountingSink(out);
            try {
                return in.transferTo(sink);
            } finally {
                if (sink.written > 0) {
                    counter.increment(sink.written);
                }
            }
        }
    }

    /** Counts what passes to {@code out}; a file's region passes on whole (decision 0067), counted once. */
    private static final class CountingSink extends OutputStream implements RegionSink {
        private final OutputStream out;
        long written;

        CountingSink(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            written++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            written += len;
        }

        @Override
        public long writeRegion(FileChannel file, long position, long count) throws IOException {
            long n = RegionSink.write(out, file, position, count);
            written += n;
            return n;
        }
    }
}
