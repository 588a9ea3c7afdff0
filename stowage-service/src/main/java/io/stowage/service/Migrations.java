package io.stowage.service;

import io.stowage.BlobStore;
import io.stowage.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catalog migrations between backends ({@code service.migrations()}, decision 0053): moves every version of the
 * matching files from one named backend of the service's manager to another, live, while the service reads and
 * writes. Per version: copy (streamed, with the SHA-256 the catalog holds as the expected checksum, so the target
 * verifies what it received), flip the location in the transaction that records the item, then delete the source
 * copy when asked. A read follows the location at every moment; a version purged while it moves stays purged; a
 * final pass moves what was written while the job ran.
 *
 * <p>The job and its items live in the catalog, so a job whose process died resumes where it stopped
 * ({@link #resume}, or by itself when a service over the catalog starts and the dead process's lease has lapsed):
 * a version whose location moved is not copied again, and a copy that reached the target before the crash is
 * found there (size and SHA-256) and kept. A backend that goes away pauses the job (state {@code paused}) until it
 * returns; any other failure of a version (source unreadable, checksum mismatch, target refusing) is recorded in
 * the failed operations ({@code migration.copy}) and the job goes on. Progress is a {@code migration.progress}
 * event per batch. Thread-safe.
 */
public final class Migrations implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** How long a runner holds a job without renewing; a dead runner's job is free after it. */
    static final Duration LEASE = Duration.ofSeconds(20);
    private static final String RUNNER_PREFIX = "runner-";

    final CatalogDatabase catalog;
    final MigrationCatalog sql = new MigrationCatalog();
    final Placement placement;
    final EventOutbox events;
    final AuditLog audit;
    final FailedOperations failures;
    final Clock clock;
    /** This service's name as a runner of jobs. */
    final String runner = RUNNER_PREFIX + Ids.next(System.currentTimeMillis());
    private final Map<String, MigrationRun> runs = new ConcurrentHashMap<>();
    private final ReentrantLock claiming = new ReentrantLock();
    private volatile boolean closed;

    Migrations(CatalogDatabase catalog, Placement placement, EventOutbox events, AuditLog audit,
               FailedOperations failures, Clock clock) {
        this.catalog = catalog;
        this.placement = placement;
        this.events = events;
        this.audit = audit;
        this.failures = failures;
        this.clock = clock;
        placement.locateWith(key -> catalog.read("locate", h -> sql.backendsOf(h, key)));
    }

    /**
     * What {@code request} would move now, without moving anything (a dry run).
     *
     * @throws StorageException {@code INVALID_ARGUMENT} for a backend the service does not know by name,
     *     {@code UNSUPPORTED} for a service over a store alone
     */
    public MigrationPlan plan(MigrationRequest request) {
        checkBackends(request);
        long[] left = catalog.read("migration", h -> sql.remaining(h, "", request.source(),
                request.filter(clock.millis())));
        return new MigrationPlan(request.source(), request.target(), left[1], left[0], left[2]);
    }

    /**
     * Records a job for {@code request} and runs it in the background; follow it with {@link #get},
     * {@link #await} or {@code migration.progress} events.
     *
     * @throws StorageException as {@link #plan}
     */
    public MigrationJob start(MigrationRequest request) {
        checkBackends(request);
        Instant now = clock.instant();
        String id = Ids.next(now.toEpochMilli());
        claiming.lock();
        try {
            checkOpen();
            catalog.useTransaction("migration", h -> {
                sql.insertJob(h, id, request, request.filter(now.toEpochMilli()), runner, leaseFrom(now),
                        AuditLog.actor(StorageService.SYSTEM), now);
                audit.append(h, StorageService.SYSTEM, "migration.start", "migration:" + id, AuditLog.OK, now);
            });
            launch(id, false, false);
        } finally {
            claiming.unlock();
        }
        return job(id);
    }

    /** The job {@code id}, as the catalog holds it now. */
    public Optional<MigrationJob> get(String id) {
        return Ids.wellFormed(id) ? catalog.read("migration", h -> sql.job(h, id)) : Optional.empty();
    }

    /** The {@code limit} newest jobs, newest first. */
    public List<MigrationJob> list(int limit) {
        Page.checkLimit(limit);
        return catalog.read("migration", h -> sql.jobs(h, limit));
    }

    /**
     * Stops the job once the versions in flight are moved: {@code cancelled}, resumable. A job another process runs
     * is asked to stop (it sees it within its lease's renewal); one whose process died is cancelled at once.
     *
     * @throws StorageException {@code NOT_FOUND}; {@code PRECONDITION_FAILED} for a job that is not running
     */
    public MigrationJob cancel(String id) {
        MigrationJob job = job(id);
        if (!job.active() || job.state().equals(MigrationJob.ROLLING_BACK)) {
            throw conflict("migration " + id + " is " + job.state() + ", not running");
        }
        Instant now = clock.instant();
        MigrationRun local = runs.get(id);
        catalog.useTransaction("migration", h -> {
            // No run here, and the lease is ours to take: the process that ran it is gone.
            if (local == null && sql.claim(h, id, runner, leaseFrom(now), MigrationJob.CANCELLING, false, now)) {
                sql.finish(h, id, MigrationJob.CANCELLED, "cancelled while no process ran it", now);
            } else {
                sql.setState(h, id, MigrationJob.CANCELLING, "", now);
            }
            audit.append(h, StorageService.SYSTEM, "migration.cancel", "migration:" + id, AuditLog.OK, now);
        });
        if (local != null) {
            local.cancel();
        }
        return job(id);
    }

    /**
     * Moves every version the job moved back to its source, in the background: the location flips back (after the
     * version is copied back, verified, where the job deleted the source copy), then the copy on the target goes,
     * unless the target held the version before the job. A running job is cancelled first.
     *
     * @throws StorageException {@code NOT_FOUND}; {@code PRECONDITION_FAILED} for a job another live process runs
     *     or one rolled back already
     */
    public MigrationJob rollback(String id) {
        MigrationJob job = job(id);
        if (job.state().equals(MigrationJob.ROLLED_BACK)) {
            throw conflict("migration " + id + " is rolled back already");
        }
        MigrationRun local = runs.get(id);
        if (local != null && !local.rollingBack()) {
            local.cancel();
            local.join(Duration.ofMinutes(10));
        }
        claiming.lock();
        try {
            checkOpen();
            if (runs.containsKey(id)) {
                return job(id);
            }
            Instant now = clock.instant();
            boolean taken = catalog.inTransaction("migration", h -> {
                if (!sql.claim(h, id, runner, leaseFrom(now), MigrationJob.ROLLING_BACK, false, now)) {
                    return false;
                }
                audit.append(h, StorageService.SYSTEM, "migration.rollback", "migration:" + id, AuditLog.OK, now);
                return true;
            });
            if (!taken) {
                throw conflict("migration " + id + " is running in another process; cancel it there first");
            }
            launch(id, true, true);
        } finally {
            claiming.unlock();
        }
        return job(id);
    }

    /**
     * Takes the job over, whoever held it, and runs it on: {@code --resume} after a crash. Versions that failed are
     * tried again; a cancelled or completed job moves what is left. A job being rolled back goes on rolling back.
     *
     * @throws StorageException {@code NOT_FOUND}; {@code PRECONDITION_FAILED} for a job rolled back
     */
    public MigrationJob resume(String id) {
        MigrationJob job = job(id);
        if (job.state().equals(MigrationJob.ROLLED_BACK)) {
            throw conflict("migration " + id + " is rolled back");
        }
        claiming.lock();
        try {
            checkOpen();
            if (!runs.containsKey(id)) {
                take(job, true);
            }
        } finally {
            claiming.unlock();
        }
        return job(id);
    }

    /** Waits up to {@code bound} for the job to stop running here or elsewhere and returns it as it is then. */
    public MigrationJob await(String id, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        MigrationRun local = runs.get(id);
        if (local != null) {
            local.join(bound);
        }
        MigrationJob job = job(id);
        while (job.active() && System.nanoTime() < deadline && !runs.containsKey(id)) {
            sleep(Duration.ofMillis(50));
            job = job(id);
        }
        return job;
    }

    /**
     * Resumes, in the background, every job whose process died (or stopped with its service): at once when its
     * lease was given up, else once it lapses. A service over a manager calls it when it starts.
     */
    void resumeInterrupted() {
        if (placement.backendNames().isEmpty()) {
            return;
        }
        for (String id : catalog.read("migration", sql::activeJobs)) {
            Thread.ofVirtual().name("migration-resume-" + id).start(() -> resumeWhenFree(id));
        }
    }

    private void resumeWhenFree(String id) {
        while (!closed) {
            claiming.lock();
            try {
                if (closed || runs.containsKey(id)) {
                    return;
                }
                MigrationJob job = job(id);
                if (!job.active() || take(job, false)) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("could not resume migration {}: {}", id, e.getMessage());
            } finally {
                claiming.unlock();
            }
            sleep(LEASE.dividedBy(4));
        }
    }

    /** Claims the job (by force or once free) and runs it on; the caller holds {@link #claiming}. */
    private boolean take(MigrationJob job, boolean force) {
        Instant now = clock.instant();
        boolean back = job.state().equals(MigrationJob.ROLLING_BACK);
        String state = back ? MigrationJob.ROLLING_BACK : MigrationJob.RUNNING;
        boolean taken = catalog.inTransaction("migration", h -> {
            if (!sql.claim(h, job.id(), runner, leaseFrom(now), state, force, now)) {
                return false;
            }
            if (job.state().equals(MigrationJob.CANCELLING)) {
                sql.finish(h, job.id(), MigrationJob.CANCELLED, "", now);
                return true;
            }
            if (!back) {
                sql.forgetFailed(h, job.id());
            }
            audit.append(h, StorageService.SYSTEM, "migration.resume", "migration:" + job.id(), AuditLog.OK, now);
            return true;
        });
        if (taken && !job.state().equals(MigrationJob.CANCELLING)) {
            launch(job.id(), back, true);
        }
        return taken;
    }

    private void launch(String id, boolean rollback, boolean resumed) {
        MigrationRun run = new MigrationRun(this, id, rollback, resumed);
        runs.put(id, run);
        run.start();
    }

    /** Called by a run as it ends. */
    void ended(MigrationRun run) {
        runs.remove(run.id(), run);
    }

    MigrationJob job(String id) {
        return get(id).orElseThrow(() -> StorageException.notFound(null, "no migration '" + Guards.printableId(id) + "'"));
    }

    long leaseFrom(Instant now) {
        return now.plus(LEASE).toEpochMilli();
    }

    /** The named backend's store. */
    BlobStore store(String name) {
        return placement.backend(name).orElseThrow(() -> StorageException.invalidArgument("no backend named '" + name
                + "'; the service knows " + String.join(", ", new java.util.TreeSet<>(placement.backendNames()))));
    }

    private void checkBackends(MigrationRequest request) {
        if (placement.backendNames().isEmpty()) {
            throw StorageException.builder(io.stowage.ErrorKind.UNSUPPORTED).operation("migrate")
                    .message("migrations need named backends: the service runs over a store alone, not a manager").build();
        }
        store(request.source());
        store(request.target());
    }

    private static StorageException conflict(String message) {
        return StorageException.builder(io.stowage.ErrorKind.PRECONDITION_FAILED).operation("migrate").message(message)
                .build();
    }

    private void checkOpen() {
        if (closed) {
            throw StorageException.unavailable(null, "migrate", "the service is closing", null);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the runs of this service after the versions in flight and gives their jobs up (lease lapsed), so the
     * next start of any service over the catalog resumes them at once.
     */
    @Override
    public void close() {
        claiming.lock();
        try {
            closed = true;
        } finally {
            claiming.unlock();
        }
        for (MigrationRun run : List.copyOf(runs.values())) {
            run.stop();
        }
        for (MigrationRun run : List.copyOf(runs.values())) {
            run.join(Duration.ofSeconds(30));
        }
    }
}
