package io.stowage.cli;

import io.stowage.BlobStore;
import io.stowage.ForwardingBlobStore;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Runs the CLI in-process with an injected environment, working directory and captured streams. */
final class CliHarness {

    /** What one run printed and returned. */
    record Result(int exitCode, byte[] stdoutBytes, String err) {
        String out() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }
    }

    final Path workingDir;
    final Map<String, String> env = new HashMap<>();
    /** The memory backend every run shares (a real process would start empty each time). */
    final MemoryBlobStore memory = new MemoryBlobStore("memory");
    /** Wraps the shared store as each run opens it, so tests can inject failures. */
    Function<BlobStore, BlobStore> wrap = Function.identity();
    /** Wraps the shared store by the name of the backend that opens it, after {@link #wrap}. */
    java.util.function.BiFunction<String, BlobStore, BlobStore> wrapNamed = (name, store) -> store;
    BlobStoreProviders providers;
    boolean interactive;
    CliContext lastContext;

    CliHarness(Path workingDir) {
        this.workingDir = workingDir;
        this.env.put("PRIMARY_BACKEND", "memory");
        BlobStoreProvider sharedMemory = new BlobStoreProvider() {
            @Override
            public String type() {
                return "memory";
            }

            @Override
            public String description() {
                return "in-memory store shared by the runs of one test";
            }

            @Override
            public Set<String> settingNames() {
                return Set.of();
            }

            @Override
            public BlobStore open(BackendConfig config) {
                return wrapNamed.apply(config.name(), wrap.apply(new ForwardingBlobStore(memory) {
                    @Override
                    public void close() {
                        // Shared across runs: stays open.
                    }
                }));
            }
        };
        java.util.List<BlobStoreProvider> all = new java.util.ArrayList<>();
        all.add(sharedMemory);
        BlobStoreProviders.load().providers().stream().filter(p -> !p.type().equals("memory")).forEach(all::add);
        this.providers = BlobStoreProviders.of(all.toArray(BlobStoreProvider[]::new));
    }

    Result run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), args);
    }

    Result run(InputStream stdin, String... args) {
        return run(stdin, new ByteArrayOutputStream(), args);
    }

    /** Runs with {@code stdout} as standard output; the result has what it collected if it is a byte array stream. */
    Result run(InputStream stdin, java.io.OutputStream stdout, String... args) {
        ByteArrayOutputStream out = stdout instanceof ByteArrayOutputStream b ? b : new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(env, workingDir, stdin, stdout, err, providers, interactive);
        lastContext = ctx;
        int code = StowageCli.run(ctx, args);
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }
}
