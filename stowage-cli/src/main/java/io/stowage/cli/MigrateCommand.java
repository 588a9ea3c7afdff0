package io.stowage.cli;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import io.stowage.service.FileEvent;
import io.stowage.service.MigrationJob;
import io.stowage.service.MigrationPlan;
import io.stowage.service.MigrationRequest;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code stowage migrate}: moves files between two configured backends, through the catalog (the job resumable,
 * live beside a server on the same catalog; decision 0053) or, with {@code --raw}, key by key without one.
 */
@Command(name = "migrate", description = "Move the catalog's files from one configured backend to another: copy, "
        + "verify the SHA-256 on the target, move the location, delete from the source if asked. Resumable "
        + "(--resume <job>); reads keep working meanwhile. With --raw, copy the keys of one backend to another "
        + "without a catalog (identical objects skipped, a checkpoint under STOWAGE_HOME/state/).",
        subcommands = {MigrateCommand.Status.class, MigrateCommand.Cancel.class, MigrateCommand.Rollback.class})
final class MigrateCommand implements Callable<Integer> {

    /** How long the command follows a job: until it ends. */
    private static final Duration FOREVER = Duration.ofDays(365);
    private static final int BAR = 30;

    @ParentCommand
    StowageCli root;

    @Option(names = "--from", paramLabel = "<backend>", description = "backend to move from")
    String from;

    @Option(names = "--to", paramLabel = "<backend>", description = "backend to move to")
    String to;

    @Option(names = "--owner", paramLabel = "<owner>", description = "only this owner's files")
    String owner;

    @Option(names = "--prefix", paramLabel = "<prefix>", description = "only files whose name (with --raw: key) starts so")
    String prefix = "";

    @Option(names = "--delete-source", description = "delete each source copy once its move is verified")
    boolean deleteSource;

    @Option(names = "--batch-size", paramLabel = "<n>", description = "versions per batch (default: ${DEFAULT-VALUE})")
    int batchSize = MigrationRequest.DEFAULT_BATCH_SIZE;

    @Option(names = "--parallel", paramLabel = "<n>", description = "copies at once (default: ${DEFAULT-VALUE})")
    int parallel = MigrationRequest.DEFAULT_PARALLEL;

    @Option(names = "--dry-run", description = "say what would move, and how many bytes; move nothing")
    boolean dryRun;

    @Option(names = "--raw", description = "copy keys between the backends, without the catalog")
    boolean raw;

    @Option(names = "--resume", paramLabel = "<job>", description = "take a job over (after a crash) and finish it")
    String resume;

    @Override
    public Integer call() {
        if (raw) {
            requireBackends();
            return new RawMigration(root.ctx(), root.config(), from, to, prefix, deleteSource, dryRun, parallel).run();
        }
        if (resume != null) {
            try (StorageService service = openService(root)) {
                return follow(root, service, () -> service.migrations().resume(resume).id());
            }
        }
        requireBackends();
        MigrationRequest request = MigrationRequest.between(from, to).withPrefix(prefix).withDeleteSource(deleteSource)
                .withBatchSize(batchSize).withParallel(parallel);
        if (owner != null) {
            request = request.withOwner(owner);
        }
        try (StorageService service = openService(root)) {
            if (dryRun) {
                MigrationPlan plan = service.migrations().plan(request);
                root.ctx().out().printf("would move %d versions of %d files, %s, from %s to %s%n", plan.versions(),
                        plan.files(), ProgressBar.human(plan.bytes()), plan.source(), plan.target());
                root.ctx().out().flush();
                return ExitCodes.OK;
            }
            MigrationRequest started = request;
            return follow(root, service, () -> service.migrations().start(started).id());
        }
    }

    private void requireBackends() {
        if (from == null || to == null) {
            throw StorageException.invalidArgument("migrate needs --from <backend> and --to <backend>"
                    + " (or a subcommand: status, cancel, rollback)");
        }
    }

    /** The service over the configured catalog and backends, which owns its manager. */
    static StorageService openService(StowageCli root) {
        StowageConfig config = root.config();
        return StorageService.open(ServiceSettings.from(config),
                StorageManager.builder(config).providers(root.ctx().providers()));
    }

    /**
     * Follows the job to its end: a bar on a terminal, one line per batch otherwise; then a summary. Exit 0 for a
     * job that ended as it should with no version failed.
     */
    static int follow(StowageCli root, StorageService service, java.util.function.Supplier<String> begin) {
        CliContext ctx = root.ctx();
        PrintWriter err = ctx.err();
        PrintWriter out = ctx.out();
        // Listening before the job begins: its first batch may be done before begin() returns.
        Object drawing = new Object();
        java.util.List<FileEvent> early = new java.util.ArrayList<>();
        String[] followed = new String[1];
        service.addListener(e -> {
            if (!e.type().equals(FileEvent.MIGRATION_PROGRESS)) {
                return;
            }
            synchronized (drawing) {
                if (followed[0] == null) {
                    early.add(e);
                } else if (followed[0].equals(e.data().get("job"))) {
                    show(ctx, e);
                }
            }
        });
        String jobId = begin.get();
        synchronized (drawing) {
            out.println("migration " + jobId);
            out.flush();
            followed[0] = jobId;
            early.stream().filter(e -> jobId.equals(e.data().get("job"))).forEach(e -> show(ctx, e));
        }
        MigrationJob end = service.migrations().await(jobId, FOREVER);
        if (ctx.interactive()) {
            err.println();
            err.flush();
        }
        printJob(out, end);
        out.flush();
        boolean ok = (end.state().equals(MigrationJob.COMPLETED) || end.state().equals(MigrationJob.ROLLED_BACK)
                || end.state().equals(MigrationJob.CANCELLED)) && end.filesFailed() == 0;
        return ok ? ExitCodes.OK : ExitCodes.of(ErrorKind.UNAVAILABLE);
    }

    private static void show(CliContext ctx, FileEvent e) {
        if (ctx.interactive()) {
            long done = Long.parseLong(e.data().get("bytes_done"));
            long total = Long.parseLong(e.data().get("bytes_total"));
            int filled = total <= 0 ? BAR : (int) Math.min(BAR, done * BAR / total);
            ctx.err().print("\r[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + line(e) + "  ");
            ctx.err().flush();
        } else {
            ctx.out().println(line(e));
            ctx.out().flush();
        }
    }

    /** One line of progress from an event: state, versions and bytes done of total, failures, rate, ETA. */
    static String line(FileEvent e) {
        var d = e.data();
        long done = Long.parseLong(d.get("bytes_done"));
        long total = Long.parseLong(d.get("bytes_total"));
        int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
        String eta = d.containsKey("eta_seconds") ? "  eta " + Duration.ofSeconds(Long.parseLong(d.get("eta_seconds")))
                .toString().substring(2).toLowerCase(Locale.ROOT) : "";
        return String.format(Locale.ROOT, "%s %3d%%  %s/%s files  %s/%s  %s failed  %s/s%s", d.get("state"), percent,
                d.get("files_done"), d.get("files_total"), ProgressBar.human(done), ProgressBar.human(total),
                d.get("files_failed"), ProgressBar.human(Long.parseLong(d.get("bytes_per_second"))), eta);
    }

    static void printJob(PrintWriter out, MigrationJob job) {
        out.printf("job %s: %s, %s -> %s%s%n", job.id(), job.state(), job.source(), job.target(),
                job.deleteSource() ? " (deleting the source)" : "");
        out.printf("  %d/%d versions, %s/%s, %d failed%n", job.filesDone(), job.filesTotal(),
                ProgressBar.human(job.bytesDone()), ProgressBar.human(job.bytesTotal()), job.filesFailed());
        if (!job.filter().isEmpty()) {
            out.printf("  filter %s%n", job.filter());
        }
        if (!job.detail().isEmpty()) {
            out.printf("  %s%n", job.detail());
        }
    }

    @Command(name = "status", description = "Show a migration job (or the latest ones, without <job>).")
    static final class Status implements Callable<Integer> {

        @ParentCommand
        MigrateCommand migrate;

        @Parameters(index = "0", arity = "0..1", paramLabel = "<job>", description = "the job's id")
        String job;

        @Override
        public Integer call() {
            PrintWriter out = migrate.root.ctx().out();
            try (StorageService service = openService(migrate.root)) {
                if (job == null) {
                    service.migrations().list(20).forEach(j -> printJob(out, j));
                } else {
                    printJob(out, service.migrations().get(job).orElseThrow(() ->
                            StorageException.notFound(null, "no migration '" + job + "'")));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "cancel", description = "Stop a job after the versions in flight (in this process or the one "
            + "running it); resume it later with --resume.")
    static final class Cancel implements Callable<Integer> {

        @ParentCommand
        MigrateCommand migrate;

        @Parameters(index = "0", paramLabel = "<job>", description = "the job's id")
        String job;

        @Override
        public Integer call() {
            try (StorageService service = openService(migrate.root)) {
                printJob(migrate.root.ctx().out(), service.migrations().cancel(job));
            }
            migrate.root.ctx().out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "rollback", description = "Move every version a job moved back to its source and remove the "
            + "copies on the target; follows it to the end.")
    static final class Rollback implements Callable<Integer> {

        @ParentCommand
        MigrateCommand migrate;

        @Parameters(index = "0", paramLabel = "<job>", description = "the job's id")
        String job;

        @Override
        public Integer call() {
            try (StorageService service = openService(migrate.root)) {
                return follow(migrate.root, service, () -> service.migrations().rollback(job).id());
            }
        }
    }
}
