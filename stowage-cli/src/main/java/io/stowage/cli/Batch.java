package io.stowage.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files of one {@code put --recursive} or {@code get --recursive}: at most {@code parallel} of them
 * move at once, each on a virtual thread of its own (socket I/O stays interruptible for the timeout layer,
 * as a single command's is), the caller blocking while all slots are taken, so however many files there
 * are, memory holds {@code parallel} transfers and a few counters. Every file's outcome is printed as it
 * ends (a line on stdout, or on stderr for a failure; with {@code --json}, one object of a streamed array),
 * then a summary. The exit status is the first failure's, so a script sees a non-zero status when any file
 * failed, of the kind it failed with.
 */
final class Batch implements AutoCloseable {

    /** How many files move at once unless {@code --parallel} says otherwise. */
    static final int DEFAULT_PARALLEL = 8;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** {@code --parallel}, shared by the commands that move a batch of files ({@code @Mixin}). */
    static final class Parallel {
        @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
        picocli.CommandLine.Model.CommandSpec mixee;

        @picocli.CommandLine.Option(names = "--parallel", paramLabel = "<n>",
                description = "with --recursive: files moved at once (default: ${DEFAULT-VALUE})")
        int parallel = DEFAULT_PARALLEL;

        /** The number asked for; below 1 it is a usage error of the command. */
        int value() {
            if (parallel < 1) {
                throw new picocli.CommandLine.ParameterException(mixee.commandLine(),
                        "--parallel takes a whole number of at least 1, got " + parallel);
            }
            return parallel;
        }
    }

    /** One file's work; returns what to report about it. */
    interface Task {
        Done run(Transfers.Transfer transfer) throws Exception;
    }

    /** A file that moved: its key, the local file, its size and SHA-256 (null where none is known). */
    record Done(String key, String file, long size, String sha256) {
    }

    private final CliContext ctx;
    private final String verb;
    private final Transfers.Transfer transfer;
    private final Semaphore slots;
    private final ExecutorService pool;
    private final JsonGenerator json;
    private final long started = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger firstCode = new AtomicInteger(ExitCodes.OK);

    /**
     * @param verb     what happened to a file, for the lines and the summary ({@code stored}, {@code written})
     * @param transfer the batch's transfer: Ctrl-C cancels it and every file in flight
     */
    Batch(CliContext ctx, String verb, int parallel, boolean json, Transfers.Transfer transfer) {
        this.ctx = ctx;
        this.verb = verb;
        this.transfer = transfer;
        this.slots = new Semaphore(parallel);
        this.pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("stowage-file-", 0).factory());
        try {
            this.json = json ? JSON.createGenerator(ctx.out()).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET) : null;
            if (this.json != null) {
                this.json.writeStartObject();
                this.json.writeArrayFieldStart("files");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the batch was cancelled (Ctrl-C): the caller stops submitting. */
    boolean cancelled() {
        return transfer.cancelled();
    }

    /**
     * Runs {@code task} for the file {@code file} (what a failure names) once a slot is free; waits for one.
     *
     * @throws InterruptedIOException when the batch is cancelled while waiting
     */
    void submit(String file, Task task) throws InterruptedIOException {
        try {
            while (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                transfer.check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        if (transfer.cancelled()) {
            // The slot freed by a file Ctrl-C stopped: start no other.
            slots.release();
            throw new InterruptedIOException("interrupted");
        }
        pool.submit(() -> {
            try (Transfers.Transfer one = transfer.child()) {
                ok(task.run(one));
            } catch (Throwable e) {
                failed(file, e);
            } finally {
                slots.release();
            }
        });
    }

    /** Reports a file that failed before it could be submitted (unreadable, not a regular file, a bad name). */
    void failed(String file, Throwable e) {
        if (transfer.cancelled()) {
            // Files cut off by Ctrl-C are not failures of their own; the summary says the batch was interrupted.
            return;
        }
        StowageCli.Failure f = StowageCli.Failure.of(e);
        failed.incrementAndGet();
        firstCode.compareAndSet(ExitCodes.OK, f.code());
        synchronized (this) {
            if (json != null) {
                write(g -> {
                    g.writeStartObject();
                    g.writeStringField("file", file);
                    g.writeObjectFieldStart("error");
                    g.writeNumberField("exit_code", f.code());
                    g.writeStringField("message", f.message());
                    g.writeEndObject();
                    g.writeEndObject();
                });
            } else {
                // A local file's error names it already ("permission denied: dir/a.txt").
                ctx.err().println("stowage: " + (f.message().contains(file) ? "" : file + ": ") + f.message());
            }
        }
    }

    private void ok(Done d) {
        done.incrementAndGet();
        bytes.addAndGet(d.size());
        synchronized (this) {
            if (json != null) {
                write(g -> {
                    g.writeStartObject();
                    g.writeStringField("key", d.key());
                    g.writeStringField("file", d.file());
                    g.writeNumberField("size", d.size());
                    if (d.sha256() == null) {
                        g.writeNullField("sha256");
                    } else {
                        g.writeStringField("sha256", d.sha256());
                    }
                    g.writeEndObject();
                });
            } else {
                ctx.out().println(verb + " " + d.key() + (verb.equals("stored") ? "" : " -> " + d.file()) + "  "
                        + d.size() + " bytes" + (d.sha256() == null ? "" : "  sha256 " + d.sha256()));
            }
        }
    }

    /**
     * Waits for every file, prints the summary and returns the exit status: 0 when every file moved, else
     * the first failure's.
     *
     * @throws StowageCli.Interrupted when the batch was cancelled (Ctrl-C)
     */
    int finish(String where) {
        close();
        double seconds = (System.nanoTime() - started) / 1e9;
        if (transfer.cancelled()) {
            throw new StowageCli.Interrupted("interrupted; " + files(done.get()) + " " + verb + " " + where
                    + " before it, none in part", null);
        }
        synchronized (this) {
            if (json != null) {
                write(g -> {
                    g.writeEndArray();
                    g.writeNumberField(verb, done.get());
                    g.writeNumberField("failed", failed.get());
                    g.writeNumberField("bytes", bytes.get());
                    g.writeNumberField("seconds", Math.round(seconds * 1000) / 1000.0);
                    g.writeEndObject();
                });
                ctx.out().println();
            } else {
                ctx.out().printf(Locale.ROOT, "%s %s %s, %d bytes in %.1f s%s%n", files(done.get()), verb, where,
                        bytes.get(), seconds, failed.get() == 0 ? "" : "; " + failed.get() + " failed");
            }
            ctx.out().flush();
        }
        if (failed.get() > 0) {
            ctx.err().println("stowage: " + failed.get() + " of " + files(failed.get() + done.get()) + " failed "
                    + (json == null ? "(each is named above)" : "(each has an error in the output)"));
        }
        return firstCode.get();
    }

    private static String files(int n) {
        return n + (n == 1 ? " file" : " files");
    }

    /** Waits for the files in flight. */
    @Override
    public void close() {
        pool.close();
    }

    private interface Write {
        void to(JsonGenerator g) throws IOException;
    }

    private void write(Write w) {
        try {
            w.to(json);
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
