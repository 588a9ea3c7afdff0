package io.stowage.service;

/**
 * One maintenance job (decision 0054): something that looks the storage over and puts it right, run on a schedule
 * by {@link Maintenance}, or when asked ({@code stowage maintenance run}, {@code POST /admin/maintenance/{job}}).
 *
 * <p>A job may rely on running alone among the nodes of a catalog (the run holds the job's lease), and must: do
 * nothing that changes anything when {@link JobContext#dryRun()} is set, only count what it would do; never remove
 * the only copy of anything; and report a failure of one item in its {@link JobReport} and go on with the next. An
 * exception it throws ends the run as failed.
 */
public interface MaintenanceJob {

    /** The job's name, as schedules, commands and routes spell it: lower case, words joined by {@code -}. */
    String name();

    /** Runs the job once. */
    JobReport run(JobContext context);

    /**
     * Whether the job works on this node's own disk (a cache, temporary files), so every node sharing a catalog runs
     * it: its lease and its schedule are then per node (one run at a time on each node; due when its interval has
     * passed since this node's latest run). False by default: one node at a time in all.
     */
    default boolean perNode() {
        return false;
    }

    /**
     * A job of a name and a body, for registering in one line:
     * {@code maintenance.register(MaintenanceJob.of("uploads-expire", c -> sessions.expire(c)), Duration.ofHours(1))}.
     */
    static MaintenanceJob of(String name, java.util.function.Function<JobContext, JobReport> body) {
        java.util.Objects.requireNonNull(body, "body");
        if (name == null || !name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw io.stowage.StorageException.invalidArgument("a job's name is lower-case words joined by '-', was '"
                    + name + "'");
        }
        return new MaintenanceJob() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public JobReport run(JobContext context) {
                return body.apply(context);
            }
        };
    }
}
