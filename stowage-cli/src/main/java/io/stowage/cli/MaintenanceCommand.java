package io.stowage.cli;

import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import io.stowage.service.JobRun;
import io.stowage.service.JobStatus;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code stowage maintenance}: the maintenance jobs (decision 0054) over the configured catalog and backends, the
 * same runs {@code /admin/maintenance} makes and shows. A run here takes the job's lease like any node's, so it
 * waits for nobody and is refused while a server runs the same job.
 */
@Command(name = "maintenance", description = "Run a maintenance job now, or show every job's interval, latest run and"
        + " lease, over the configured catalog (STOWAGE_HOME/state/catalog.db, or STOWAGE_DATABASE_URL).",
        subcommands = {MaintenanceCommand.Run.class, MaintenanceCommand.Status.class})
final class MaintenanceCommand implements Runnable {

    @ParentCommand
    StowageCli root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(root.ctx().out());
    }

    /** Runs {@code work} on a service over the configured catalog and backends, closed afterwards. */
    <T> T withService(Function<StorageService, T> work) {
        StowageConfig config = root.config();
        try (StorageService service = StorageService.open(ServiceSettings.from(config),
                StorageManager.builder(config).providers(root.ctx().providers()))) {
            return work.apply(service);
        }
    }

    @Command(name = "run", description = "Run one job now and print its counts and errors. Exit 0 when it ran to its"
            + " end with no item failing, 1 when items failed or the job did; ALREADY_EXISTS's code while another"
            + " node runs it.")
    static final class Run implements Callable<Integer> {

        @ParentCommand
        MaintenanceCommand maintenance;

        @Parameters(index = "0", paramLabel = "<job>", description = "temp-cleanup, trash-purge, retention, pending-sweep,"
                + " failed-retry, uploads-expire, reconcile, scrub, lifecycle or image-cache")
        String job;

        @Option(names = "--dry-run", description = "count what the job would do; change nothing")
        boolean dryRun;

        @Option(names = "--json", description = "print the run as one JSON object")
        boolean json;

        @Override
        public Integer call() {
            JobRun run = maintenance.withService(s -> s.maintenance().run(job, dryRun));
            PrintWriter out = maintenance.root.ctx().out();
            if (json) {
                JsonOutput.write(out, g -> writeRun(g, run));
            } else {
                out.printf("%s%s: %s in %s%n", run.job(), run.dryRun() ? " (dry run)" : "",
                        run.outcome().name().toLowerCase(java.util.Locale.ROOT),
                        run.finished().map(f -> java.time.Duration.between(run.started(), f).toMillis() + " ms").orElse("?"));
                for (Map.Entry<String, Long> c : run.report().counts().entrySet()) {
                    out.printf("  %-20s %d%n", c.getKey(), c.getValue());
                }
                run.report().errors().forEach(e -> out.println("  error: " + e));
                out.flush();
            }
            return run.outcome() == JobRun.Outcome.OK && run.report().errors().isEmpty() ? ExitCodes.OK
                    : ExitCodes.UNEXPECTED;
        }
    }

    @Command(name = "status", description = "Every job: its interval, its latest run (when, where, outcome) and the node"
            + " holding its lease while one runs.")
    static final class Status implements Callable<Integer> {

        @ParentCommand
        MaintenanceCommand maintenance;

        @Option(names = "--json", description = "one JSON array of {job, interval, lastRun, heldBy}")
        boolean json;

        @Override
        public Integer call() {
            java.util.List<JobStatus> all = maintenance.withService(s -> s.maintenance().status());
            PrintWriter out = maintenance.root.ctx().out();
            if (json) {
                JsonOutput.write(out, g -> {
                    g.writeStartArray();
                    for (JobStatus s : all) {
                        g.writeStartObject();
                        g.writeStringField("job", s.job());
                        g.writeStringField("interval", s.interval().isZero() ? null : s.interval().toString());
                        if (s.last().isPresent()) {
                            g.writeFieldName("lastRun");
                            writeRun(g, s.last().get());
                        } else {
                            g.writeNullField("lastRun");
                        }
                        g.writeStringField("heldBy", s.heldBy().orElse(null));
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                });
                return ExitCodes.OK;
            }
            for (JobStatus s : all) {
                String last = s.last().map(r -> LsCommand.TIME.format(r.started()) + "  "
                        + r.outcome().name().toLowerCase(java.util.Locale.ROOT) + (r.dryRun() ? " (dry run)" : "")
                        + "  " + r.node()).orElse("never run");
                out.printf("%-14s  every %-8s  %s%s%n", s.job(), s.interval().isZero() ? "-" : Durations.text(s.interval()),
                        last, s.heldBy().map(h -> "  running on " + h).orElse(""));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private static void writeRun(com.fasterxml.jackson.core.JsonGenerator g, JobRun run) throws java.io.IOException {
        g.writeStartObject();
        g.writeNumberField("id", run.id());
        g.writeStringField("job", run.job());
        g.writeStringField("node", run.node());
        g.writeBooleanField("dryRun", run.dryRun());
        g.writeStringField("started", run.started().toString());
        g.writeStringField("finished", run.finished().map(Object::toString).orElse(null));
        g.writeStringField("outcome", run.outcome().name().toLowerCase(java.util.Locale.ROOT));
        g.writeObjectFieldStart("counts");
        for (Map.Entry<String, Long> c : run.report().counts().entrySet()) {
            g.writeNumberField(c.getKey(), c.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("errors");
        for (String e : run.report().errors()) {
            g.writeString(e);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Durations as a person writes them: {@code 15m}, {@code 1h}, {@code 7d}. */
    static final class Durations {
        private Durations() {
        }

        static String text(java.time.Duration d) {
            long s = d.toSeconds();
            return s % 86400 == 0 ? s / 86400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
        }
    }
}
