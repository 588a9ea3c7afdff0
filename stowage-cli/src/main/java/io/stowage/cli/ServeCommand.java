package io.stowage.cli;

import ch.qos.logback.classic.LoggerContext;
import io.stowage.StorageException;
import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import io.stowage.server.ConfigReload;
import io.stowage.server.Monitoring;
import io.stowage.server.ServerSettings;
import io.stowage.server.StowageServer;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.service.auth.AdminKey;
import io.stowage.service.auth.AuthSettings;
import io.stowage.service.auth.BearerAuthenticator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", description = "Run the HTTP server (API v1) on the configured storage and catalog "
        + "(by default the local disk and SQLite under STOWAGE_HOME, ./storage). On the first start with an empty "
        + "catalog it creates an admin API key, prints it once and writes it to STOWAGE_HOME/admin.key (mode 0600). "
        + "Stops on SIGTERM or Ctrl-C: no new connections, transfers in flight get server.shutdown_grace "
        + "(STOWAGE_SHUTDOWN_GRACE, default 30s) to finish, the rest are aborted and leave nothing behind. "
        + "Logs to stderr, or with STOWAGE_LOG_FILE to that file, rolled by size (STOWAGE_LOG_MAX_FILE_SIZE) and day "
        + "into gzipped archives kept STOWAGE_LOG_MAX_HISTORY_DAYS days and STOWAGE_LOG_TOTAL_SIZE_CAP bytes at most.")
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Option(names = "--host", paramLabel = "<host>",
            description = "address to listen on (default: STOWAGE_HOST, else 127.0.0.1; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--port", paramLabel = "<port>", description = "port to listen on (default: STOWAGE_PORT, else 8080; 0 picks a free one)")
    Integer port;

    @Override
    public Integer call() throws InterruptedException {
        Instant started = Instant.now();
        Map<String, String> flags = new LinkedHashMap<>();
        if (host != null) {
            flags.put("STOWAGE_HOST", host);
        }
        if (port != null) {
            flags.put("STOWAGE_PORT", Integer.toString(port));
        }
        StowageConfig config = root.config(flags);
        // The log file first: what reading the other settings logs (Tika's types) belongs in it.
        LogSettings logSettings = LogSettings.from(config);
        PrintWriter out = root.ctx().out();
        Optional<Path> logFile = logSettings.file().map(f -> root.ctx().resolve(f.toString()));
        logFile.ifPresent(file -> CliLogging.context().ifPresent(c -> {
            ServerLog.install(c, logSettings, file);
            ServerLog.defaultLevel(c, System.getenv());
            out.println("stowage: logging to " + file + " (rolled at " + logSettings.maxFileSize()
                    + " bytes and daily, gzipped, kept " + logSettings.maxHistoryDays() + " days and at most "
                    + logSettings.totalSizeCap() + " bytes)");
        }));
        ServerSettings serverSettings = ServerSettings.from(config);
        ServiceSettings serviceSettings = ServiceSettings.from(config);
        AuthSettings authSettings = AuthSettings.from(config);
        FileLock catalogLock = serviceSettings.postgres() ? null : lockSqliteCatalog(serviceSettings.home());
        Running running;
        try {
            running = Running.open(root, flags, config, serviceSettings, serverSettings, authSettings);
        } catch (RuntimeException e) {
            release(catalogLock);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.stop(root.ctx().err(), serverSettings.shutdownGrace());
            } finally {
                release(catalogLock);
                // Writes what is buffered and lets a rolled file's compression finish.
                logFile.flatMap(f -> CliLogging.context()).ifPresent(LoggerContext::stop);
                stopped.countDown();
            }
        }, "stowage-serve-stop"));

        out.println("stowage: listening on " + running.server.localUri()
                + serverSettings.publicUrl().map(u -> " (links name it " + u + ")").orElse(""));
        out.println("stowage: storage " + running.manager.primary() + ", catalog "
                + (serviceSettings.postgres() ? "PostgreSQL" : "SQLite in " + serviceSettings.home().resolve("state")));
        // A SQLite catalog is this server's alone (the lock above): every save pending from before this start was
        // a crash's. A shared PostgreSQL catalog is swept by the service's own rules (decision 0045).
        int swept = serviceSettings.postgres() ? 0
                : running.service.sweepPending(Duration.between(started, Instant.now()));
        if (swept > 0) {
            out.println("stowage: removed " + swept + " unfinished upload(s) an earlier run left behind");
        }
        out.println(running.adminKey.message());
        out.println("stowage: stop with Ctrl-C or SIGTERM");
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /**
     * One server per SQLite catalog: the start's sweep takes every save pending before it as a crash's
     * (decision 0045), which holds only when no other server writes into the same catalog.
     */
    private static FileLock lockSqliteCatalog(Path home) {
        Path file = home.resolve("state").resolve("serve.lock");
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw StorageException.config("another 'stowage serve' runs on the SQLite catalog in " + file.getParent()
                        + "; stop it, or give this one its own STOWAGE_HOME, or share a PostgreSQL catalog"
                        + " (STOWAGE_DATABASE_URL)");
            }
            return lock;
        } catch (IOException e) {
            throw StorageException.io(null, "serve", null, e);
        }
    }

    private static void release(FileLock lock) {
        if (lock != null) {
            try {
                lock.channel().close();
            } catch (IOException ignored) {
                // The process is ending; the lock goes with it.
            }
        }
    }

    /**
     * The monitoring, service and server of one run, closed in the reverse order of their opening. The service
     * builds and owns the manager, with its write journal in the catalog (decision 0040), and the manager meters
     * into the server's registry, so /metrics shows its operations and /health its backends.
     */
    private record Running(Monitoring monitoring, StorageManager manager, StorageService service, StowageServer server,
                           AdminKey adminKey) {

        static Running open(StowageCli root, Map<String, String> flags, StowageConfig config,
                            ServiceSettings serviceSettings, ServerSettings serverSettings, AuthSettings authSettings) {
            Monitoring monitoring = Monitoring.create();
            StorageService service = null;
            try {
                service = StorageService.open(serviceSettings,
                        StorageManager.builder(config).providers(root.ctx().providers()).registry(monitoring.registry()));
                StorageManager manager = service.manager().orElseThrow();
                AdminKey adminKey = AdminKey.ensure(serviceSettings.home(), service.apiKeys());
                // POST /admin/config/reload and the .env routes read the same sources again (decision 0052).
                ConfigReload reload = new ConfigReload(() -> root.sources(flags), root.ctx().providers(),
                        monitoring.registry());
                StowageServer server = StowageServer.start(serverSettings, service,
                        BearerAuthenticator.of(service.apiKeys(), authSettings), monitoring.over(manager), reload);
                if (serviceSettings.maintenance().start()) {
                    service.maintenance().start(); // the jobs on their intervals (decision 0054)
                }
                return new Running(monitoring, manager, service, server, adminKey);
            } catch (RuntimeException e) {
                closeAll(service, monitoring);
                throw e;
            }
        }

        private static void closeAll(AutoCloseable... opened) {
            RuntimeException failed = null;
            for (AutoCloseable c : opened) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception e) {
                    if (failed == null) {
                        failed = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                    } else {
                        failed.addSuppressed(e);
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
        }

        void stop(PrintWriter err, Duration grace) {
            int inFlight = server.requestsInFlight();
            if (inFlight > 0) {
                err.println("stowage: stopping; " + inFlight + " request(s) in flight get " + grace + " to finish");
            } else {
                err.println("stowage: stopping");
            }
            err.flush();
            closeAll(server, service, monitoring);
            err.println("stowage: stopped");
            err.flush();
        }
    }
}
