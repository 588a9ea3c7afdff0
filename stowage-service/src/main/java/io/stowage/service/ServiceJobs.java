package io.stowage.service;

import io.stowage.BlobStore;
import io.stowage.StorageException;
import io.stowage.manager.StorageManager;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The maintenance jobs every service has (decision 0054), and their default intervals. A job another part adds (the
 * upload sessions' expiry, {@code uploads-expire}) is one more line in {@link #registerAll}:
 * {@code m.register(job("uploads-expire", c -> ...), Duration.ofHours(1));}
 */
final class ServiceJobs {

    /** What the jobs work on: the service's parts, as its constructor holds them. */
    record Parts(CatalogDatabase catalog, FileCatalog files, Uploads uploads, Placement placement, BlobStore blobs,
                 LiveStorage live, Retention retention, PendingSweep sweep, FailedOperations failures,
                 FileAdmin admin, ServiceSettings settings, Clock clock, ReadEvents reads) {

        /** The manager current now (a reload swaps it); null for a service over a store alone. */
        StorageManager manager() {
            return live == null ? null : live.manager();
        }
    }

    private ServiceJobs() {
    }

    static void registerAll(Maintenance m, Parts p) {
        MaintenanceSettings s = p.settings().maintenance();
        m.register(new TempCleanupJob(TempCleanupJob.areas(p.settings(), p.manager()), s.tempMaxAge()),
                Duration.ofHours(1));
        m.register(job("trash-purge", c -> retention(p, c, rule -> rule == RetentionReport.Rule.TRASH)),
                Duration.ofHours(1));
        m.register(job("retention", c -> retention(p, c, rule -> rule != RetentionReport.Rule.TRASH)),
                Duration.ofDays(1));
        m.register(job("pending-sweep", c -> pendingSweep(p, c)), Duration.ofMinutes(15));
        m.register(job("failed-retry", c -> failedRetry(p, c)), Duration.ofHours(1));
        Copies copies = new Copies(p);
        m.register(new ReconcileJob(p, copies, s.reconcileGrace(), s.reconcileAction()), Duration.ofDays(1));
        m.register(new ScrubJob(copies, s.scrubRate()), Duration.ofDays(7));
        m.register(new TierLifecycleJob(p, s.lifecycle()), Duration.ofDays(1));
    }

    /** {@code uploads-expire}: resumable and direct upload sessions past their expiry, with what they received. */
    static void registerUploads(Maintenance m, ResumableUploads resumable, DirectUploads direct) {
        m.register(job("uploads-expire", c -> JobReport.builder()
                .add("resumable", resumable.expire(c.clock().instant(), c.dryRun()))
                .add("direct", direct.expire(c.clock().instant(), c.dryRun())).build()), Duration.ofHours(1));
    }

    /** A job of a name and a body. */
    static MaintenanceJob job(String name, Function<JobContext, JobReport> body) {
        return MaintenanceJob.of(name, body);
    }

    private static JobReport retention(Parts p, JobContext c, Predicate<RetentionReport.Rule> rules) {
        RetentionReport r = p.retention().applyRetention(c.dryRun(), rules);
        JobReport.Builder report = JobReport.builder()
                .add("files_purged", r.removals().stream().filter(x -> x.versionId().isEmpty()).count())
                .add("versions_removed", r.removals().stream().filter(x -> !x.versionId().isEmpty()).count())
                .add("bytes", r.bytesFreed()).add("failed", r.failed());
        if (r.failed() > 0) {
            report.error(r.failed() + " removal(s) failed (backend away?); the next run tries again");
        }
        return report.build();
    }

    private static JobReport pendingSweep(Parts p, JobContext c) {
        Duration grace = p.settings().pendingGrace();
        if (c.dryRun()) {
            java.time.Instant before = c.clock().instant().minus(grace);
            int found = p.catalog().withHandle("sweep", h -> p.files().inFlight(h, before).size()
                    + p.files().pendingVersions(h, before).size());
            return JobReport.builder().add("removed", found).build();
        }
        return JobReport.builder().add("removed", p.sweep().sweep(grace)).build();
    }

    /** Re-runs every open failed operation that can be re-run; one failing again stays open, counted. */
    private static JobReport failedRetry(Parts p, JobContext c) {
        JobReport.Builder report = JobReport.builder().add("retried", 0).add("failed", 0);
        String cursor = "";
        do {
            Page<FailedOperation> page = p.failures().list(cursor, 100);
            for (FailedOperation op : page.items()) {
                if (!op.retryable()) {
                    report.count("not_retryable");
                } else if (c.dryRun()) {
                    report.count("retried");
                } else {
                    try {
                        p.failures().retry(op.id());
                        report.count("retried");
                    } catch (StorageException e) {
                        report.count("failed").error("failed operation " + op.id() + " (" + op.operation() + "): "
                                + e.kind());
                    }
                }
            }
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return report.build();
    }
}
