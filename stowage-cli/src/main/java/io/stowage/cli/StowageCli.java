package io.stowage.cli;

import io.stowage.BlobStore;
import io.stowage.ForwardingBlobStore;
import io.stowage.StorageException;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.layer.LoggingLayer;
import io.stowage.manager.StorageManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.MDC;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code stowage} command: file commands on the configured primary backend, the configured and
 * available backends, and the effective configuration. Errors are one line on stderr,
 * {@code stowage: <message>}, with an exit code per error kind (see {@code --help}).
 */
@Command(name = "stowage", scope = ScopeType.INHERIT, versionProvider = StowageCli.Version.class,
        description = "Store and read files on the configured backend (local disk, S3, Azure Blob, GCS).%n"
                + "Configuration: flags > environment > .env > stowage.yaml > defaults (see 'stowage config show').",
        sortOptions = false)
public final class StowageCli implements Runnable {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Every command, in the order the help lists them. */
    static final List<Class<?>> COMMANDS = List.of(PutCommand.class, GetCommand.class, LsCommand.class,
            StatCommand.class, RmCommand.class, VersionsCommand.class, BackendsCommand.class, ConfigCommand.class,
            HealthCommand.class, ReplayCommand.class, VerifyCommand.class, TierCommand.class, CpCommand.class,
            PresignCommand.class, RestoreCommand.class, CapabilitiesCommand.class, RestoreVersionCommand.class,
            TrashCommands.List.class, TrashCommands.Undelete.class, TrashCommands.Purge.class, ServeCommand.class,
            KeysCommand.class, MaintenanceCommand.class, MigrateCommand.class);

    private final CliContext ctx;

    @Option(names = "--config", paramLabel = "<file>", scope = ScopeType.INHERIT,
            description = "stowage.yaml to read (default: ./stowage.yaml; or STOWAGE_CONFIG)")
    String configFile;

    @Option(names = "--primary", paramLabel = "<backend>", scope = ScopeType.INHERIT,
            description = "backend to work on (default: PRIMARY_BACKEND, else local)")
    String primary;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "print stack traces of errors")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help and exit")
    boolean help;

    // The program's version on the top-level command only: 'get --version <id>' reads a stored version.
    @Option(names = {"-V", "--version"}, versionHelp = true, scope = ScopeType.LOCAL,
            description = "print the version of stowage and exit")
    boolean printVersion;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    StowageCli(CliContext ctx) {
        this.ctx = ctx;
    }

    public static void main(String[] args) {
        // One command per process: its id is known before anything logs (loading the backends does).
        String id = correlationId();
        CliLogging.configure(id, System.getenv());
        CliContext ctx = CliContext.system();
        // Commands run on a virtual thread: there the JDK makes socket I/O interruptible, so the timeout
        // layer's watchdog can cut a call to a server that went silent within its bound (decision 0012).
        int[] code = {ExitCodes.UNEXPECTED};
        Thread command = Thread.ofVirtual().name("stowage").start(() -> code[0] = run(ctx, id, args));
        try {
            command.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ctx.out().flush();
        ctx.err().flush();
        System.exit(code[0]);
    }

    /**
     * Runs one command line in {@code ctx} and returns its exit code (never calls System.exit). The run
     * has a correlation id of its own in the MDC, so every log line of one command carries the same id.
     */
    public static int run(CliContext ctx, String... args) {
        return run(ctx, correlationId(), args);
    }

    private static int run(CliContext ctx, String correlationId, String... args) {
        String before = MDC.get(LoggingLayer.CORRELATION_ID);
        MDC.put(LoggingLayer.CORRELATION_ID, correlationId);
        try {
            return execute(ctx, args);
        } finally {
            if (before == null) {
                MDC.remove(LoggingLayer.CORRELATION_ID);
            } else {
                MDC.put(LoggingLayer.CORRELATION_ID, before);
            }
        }
    }

    /** A short random id ({@code cli-} and 12 hex digits): unique enough to tell runs apart in one log. */
    static String correlationId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "cli-" + HexFormat.of().formatHex(b);
    }

    private static int execute(CliContext ctx, String... args) {
        StowageCli root = new StowageCli(ctx);
        CommandLine cmd = new CommandLine(root);
        commandsFor(args).forEach(cmd::addSubcommand);
        cmd.setOut(ctx.out());
        cmd.setErr(ctx.err());
        // The exit-code table once, in the top-level help; each command's help points to it.
        cmd.getCommandSpec().usageMessage().footer(ExitCodes.footer());
        cmd.getSubcommands().values().forEach(StowageCli::pointToExitCodes);
        cmd.setParameterExceptionHandler((e, arguments) -> {
            ctx.err().println("stowage: " + oneLine(UsageErrors.describe(e)));
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> root.report(e));
        int code = cmd.execute(args);
        ctx.out().flush();
        ctx.err().flush();
        ctx.transfers().settled();
        return code;
    }

    /**
     * The commands {@code args} need built: the one they name, else all of them (the help lists them; an
     * unknown name or option is answered as before, from all of them). picocli builds a command's model (its
     * options, read by reflection) when the command is added, and its own classes cannot go into the AOT
     * cache (they are Java 5 classes, which the JVM verifies the old way); building all 24 cost every
     * command about 80 ms of CPU on its main thread, a tenth of a migration that copies nothing (decision 0098).
     */
    static List<Class<?>> commandsFor(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config") || a.equals("--primary")) {
                i++;
            } else if (a.startsWith("--config=") || a.startsWith("--primary=") || a.equals("--verbose")) {
                continue;
            } else if (a.startsWith("-")) {
                return COMMANDS;
            } else {
                for (Class<?> c : COMMANDS) {
                    if (c.getAnnotation(Command.class).name().equals(a)) {
                        return List.of(c);
                    }
                }
                return COMMANDS;
            }
        }
        return COMMANDS;
    }

    private static void pointToExitCodes(CommandLine cmd) {
        cmd.getCommandSpec().usageMessage().footer("%nExit codes: see 'stowage --help'.");
        cmd.getSubcommands().values().forEach(StowageCli::pointToExitCodes);
    }

    @Override
    public void run() {
        spec.commandLine().usage(ctx.out());
    }

    CliContext ctx() {
        return ctx;
    }

    /** The configuration, with this command line's flags on top. */
    StowageConfig config() {
        return config(Map.of());
    }

    /** The configuration, with a command's own flags (as the settings they stand for) and the root's on top. */
    StowageConfig config(Map<String, String> commandFlags) {
        return StowageConfig.load(sources(commandFlags), ctx.providers());
    }

    /** Where {@link #config(Map)} reads from: a command's flags and the root's, the environment, the working directory. */
    ConfigSources sources(Map<String, String> commandFlags) {
        Map<String, String> flags = new LinkedHashMap<>(commandFlags);
        if (configFile != null) {
            flags.put("STOWAGE_CONFIG", configFile);
        }
        if (primary != null) {
            flags.put("PRIMARY_BACKEND", primary);
        }
        return new ConfigSources(flags, ctx.env(), ctx.workingDir());
    }

    /**
     * The routed store of the configuration (primary with its layers, fallback and mirror), through the
     * storage manager; closing it closes the manager.
     */
    BlobStore openPrimary() {
        StorageManager manager = openManager();
        return new ForwardingBlobStore(manager.store()) {
            @Override
            public void close() {
                manager.close();
            }
        };
    }

    /**
     * Why the primary did not take a write that went to a fallback: "is away", or, where a refusal fails
     * over (decision 0037), that it refuses us and where to see why.
     */
    static String notTaking(StorageManager manager) {
        return manager.primaryPassedOver().filter(kind -> !kind.outage())
                .map(kind -> "refuses us (" + kind + ", 'stowage health' says why)").orElse("is away");
    }

    StorageManager openManager() {
        return openManager(config());
    }

    StorageManager openManager(StowageConfig config) {
        return StorageManager.open(config, ctx.providers());
    }

    /** One line on stderr and the exit code for {@code e}. */
    private int report(Exception e) {
        if (verbose) {
            e.printStackTrace(ctx.err());
        }
        if (e instanceof OutputClosed) {
            // The reader went away (`get k - | head`): end quietly, with SIGPIPE's status, as cat does.
            return ExitCodes.OUTPUT_CLOSED;
        }
        Failure f = Failure.of(e);
        ctx.err().println("stowage: " + f.message());
        ctx.err().flush();
        return f.code();
    }

    /** What an error means to the user: its exit code and a one-line message (never a stack trace). */
    record Failure(int code, String message) {
        static Failure of(Throwable t) {
            int code;
            String message;
            if (t instanceof Interrupted i) {
                message = i.getMessage();
                code = ExitCodes.INTERRUPTED;
            } else if (t instanceof StorageException se) {
                message = se.reason();
                code = ExitCodes.of(se.kind());
            } else if (t instanceof UncheckedIOException u) {
                message = describe(u.getCause());
                code = ExitCodes.LOCAL_FILE;
            } else if (t instanceof IOException io) {
                message = describe(io);
                code = ExitCodes.LOCAL_FILE;
            } else {
                message = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
                code = ExitCodes.UNEXPECTED;
            }
            return new Failure(code, oneLine(message));
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "file exists: " + f.getFile();
        }
        if (e instanceof InterruptedIOException) {
            return "interrupted";
        }
        if (e instanceof FileSystemException f && f.getFile() != null && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** A transfer stopped by Ctrl-C (or {@link CliContext#interrupt()}); nothing was left behind. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * What a command reports when the reader of its output went away (a closed pipe): it stops without a
     * message, with exit code {@link ExitCodes#OUTPUT_CLOSED}.
     */
    static final class OutputClosed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutputClosed(Throwable cause) {
            super("output closed", cause);
        }

        /** {@code e} itself, or an {@code OutputClosed} when {@code e} says the pipe has no reader. */
        static IOException when(IOException e) {
            String m = e.getMessage();
            if (m != null && (m.contains("Broken pipe") || m.contains("EPIPE"))) {
                throw new OutputClosed(e);
            }
            return e;
        }
    }

    /** The version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = StowageCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"stowage " + p.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
