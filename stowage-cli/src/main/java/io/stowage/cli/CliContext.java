package io.stowage.cli;

import io.stowage.internal.BlobStoreProviders;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the commands take from the outside world, injectable for tests: environment, working
 * directory, standard streams, the backend registry, whether stderr is a terminal, and the running
 * transfers that Ctrl-C cancels.
 */
public final class CliContext {

    private final Map<String, String> env;
    private final Path workingDir;
    private final InputStream stdin;
    private final OutputStream stdout;
    private final PrintWriter out;
    private final PrintWriter err;
    private final BlobStoreProviders providers;
    private final boolean interactive;
    private final Transfers transfers;

    public CliContext(Map<String, String> env, Path workingDir, InputStream stdin, OutputStream stdout,
                      OutputStream stderr, BlobStoreProviders providers, boolean interactive) {
        this(env, workingDir, stdin, stdout, stderr, providers, interactive, false);
    }

    private CliContext(Map<String, String> env, Path workingDir, InputStream stdin, OutputStream stdout,
                       OutputStream stderr, BlobStoreProviders providers, boolean interactive, boolean shutdownHook) {
        this.env = Map.copyOf(env);
        this.workingDir = workingDir.toAbsolutePath().normalize();
        this.stdin = Objects.requireNonNull(stdin);
        this.stdout = Objects.requireNonNull(stdout);
        this.out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        this.err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        this.providers = providers;
        this.interactive = interactive;
        this.transfers = new Transfers(shutdownHook);
    }

    /** The real process: its environment, working directory, standard streams and installed backends. */
    static CliContext system() {
        return new CliContext(System.getenv(), Path.of("").toAbsolutePath(),
                new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), BlobStoreProviders.load(), System.console() != null, true);
    }

    Map<String, String> env() {
        return env;
    }

    Path workingDir() {
        return workingDir;
    }

    /** A path the user typed, relative to their working directory. */
    Path resolve(String file) {
        return workingDir.resolve(file).normalize();
    }

    InputStream stdin() {
        return stdin;
    }

    /** Raw standard output, for content ({@code get key -}); flush {@link #out()} before writing to it. */
    OutputStream stdout() {
        return stdout;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    BlobStoreProviders providers() {
        return providers;
    }

    boolean interactive() {
        return interactive;
    }

    Transfers transfers() {
        return transfers;
    }

    /** Simulates Ctrl-C for the running transfers (what the shutdown hook does). */
    public void interrupt() {
        transfers.cancelAll();
    }
}
