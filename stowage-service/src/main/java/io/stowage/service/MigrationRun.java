package io.stowage.service;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.SoftDelete;
import io.stowage.StorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.HandleCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's run of a migration job, forwards or back (see {@link Migrations}). Batches are read from the
 * catalog in version-id order; two batches are in flight at once (one copying while the other commits), and at
 * most {@code parallel} copies stream at once over the whole run, so memory stays bounded by the batch size and
 * the copies' buffers whatever the files' sizes.
 */
final class MigrationRun {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationRun.class);
    private static final int BATCHES_IN_FLIGHT = 2;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration LAST_BACKOFF = Duration.ofSeconds(5);
    static final String COPY = "migration.copy";
    static final String DELETE_SOURCE = "migration.delete_source";

    private enum Outcome { COPIED, FAILED, SKIPPED }

    private final Migrations m;
    private final String id;
    private final boolean rollback;
    private final boolean resumed;
    private volatile boolean cancelled;
    private volatile boolean stopping;
    private final AtomicBoolean paused = new AtomicBoolean();
    private final ReentrantLock publishing = new ReentrantLock();
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
    private Thread thread;
    private MigrationJob job;
    private BlobStore source;
    private BlobStore target;
    private Semaphore copies;

    MigrationRun(Migrations m, String id, boolean rollback, boolean resumed) {
        this.m = m;
        this.id = id;
        this.rollback = rollback;
        this.resumed = resumed;
    }

    String id() {
        return id;
    }

    boolean rollingBack() {
        return rollback;
    }

    void start() {
        thread = Thread.ofVirtual().name("migration-" + id).start(this::run);
    }

    /** Stops after the versions in flight; the job ends cancelled. */
    void cancel() {
        cancelled = true;
    }

    /** Stops after the versions in flight, leaving the job to a resume (the service closes). */
    void stop() {
        stopping = true;
    }

    void join(Duration bound) {
        try {
            thread.join(bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean halted() {
        return cancelled || stopping || fatal.get() != null;
    }

    private void run() {
        Thread heartbeat = Thread.ofVirtual().name("migration-lease-" + id).start(this::heartbeat);
        try {
            job = m.job(id);
            source = m.store(job.source());
            target = m.store(job.target());
            copies = new Semaphore(job.parallel());
            if (rollback) {
                rollBack();
            } else {
                migrate();
            }
        } catch (RuntimeException e) {
            LOG.warn("migration {} stopped: {}", id, e.getMessage());
            fatal.compareAndSet(null, e);
            giveUp();
        } finally {
            heartbeat.interrupt();
            m.ended(this);
        }
    }

    /** Renews the lease while the run lasts, and hears a cancel asked by another process. */
    private void heartbeat() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(Migrations.LEASE.dividedBy(4));
                String state = m.catalog.inTransaction("migration", h -> m.sql.renew(h, id, m.runner,
                        m.leaseFrom(m.clock.instant())));
                if (state.equals(MigrationJob.CANCELLING)) {
                    cancelled = true;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("migration {} could not renew its lease: {}", id, e.getMessage());
            }
        }
    }

    private void migrate() {
        if (resumed && job.deleteSource()) {
            deleteLeftSources();
        }
        // The first pass moves what matches; the final one what was written (or failed to flip) meanwhile.
        for (int pass = 0; pass < 2 && !halted(); pass++) {
            long[] left = m.catalog.read("migration", h -> m.sql.remaining(h, id, job.source(), job.filter()));
            m.catalog.useTransaction("migration", h -> m.sql.setTotals(h, id, left[0], left[2], m.clock.instant()));
            if (left[0] == 0) {
                break;
            }
            runPass();
        }
        if (fatal.get() != null) {
            throw fatal.get();
        }
        if (stopping && !cancelled) {
            giveUp();
            return;
        }
        finish(cancelled ? MigrationJob.CANCELLED : MigrationJob.COMPLETED, "");
    }

    /** Deletes the source copies a run that died had moved but not yet deleted. */
    private void deleteLeftSources() {
        String after = "";
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            while (!halted()) {
                String from = after;
                List<MigrationCatalog.Item> left = m.catalog.read("migration", h -> m.sql.movedWithSource(h, id, from,
                        job.batchSize()));
                if (left.isEmpty()) {
                    return;
                }
                after = left.getLast().versionId();
                deleteSources(left, pool);
            }
        }
    }

    private void runPass() {
        Semaphore batches = new Semaphore(BATCHES_IN_FLIGHT);
        String after = "";
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            while (!halted()) {
                batches.acquireUninterruptibly();
                String from = after;
                List<MigrationCatalog.Item> batch = m.catalog.read("migration", h -> m.sql.toMove(h, id, job.source(),
                        job.target(), job.filter(), from, job.batchSize()));
                if (batch.isEmpty()) {
                    batches.release();
                    break;
                }
                after = batch.getLast().versionId();
                pool.submit(() -> {
                    try {
                        moveBatch(batch, pool);
                    } catch (RuntimeException e) {
                        fatal.compareAndSet(null, e);
                    } finally {
                        batches.release();
                    }
                });
            }
            // Every batch done before the pool closes: a batch still submits its copies to it.
            batches.acquireUninterruptibly(BATCHES_IN_FLIGHT);
        }
    }

    private void moveBatch(List<MigrationCatalog.Item> batch, ExecutorService pool) {
        List<Future<Outcome>> outcomes = new ArrayList<>();
        for (MigrationCatalog.Item item : batch) {
            outcomes.add(pool.submit(() -> copyOne(item)));
        }
        List<MigrationCatalog.Item> copied = new ArrayList<>();
        List<MigrationCatalog.Item> failed = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Outcome o = outcome(outcomes.get(i));
            if (o == Outcome.COPIED) {
                copied.add(batch.get(i));
            } else if (o == Outcome.FAILED) {
                failed.add(batch.get(i));
            }
        }
        if (copied.isEmpty() && failed.isEmpty()) {
            return;
        }
        List<MigrationCatalog.Item> moved = new ArrayList<>();
        List<MigrationCatalog.Item> vanished = new ArrayList<>();
        Instant now = m.clock.instant();
        publish(h -> {
            long bytes = 0;
            for (MigrationCatalog.Item item : copied) {
                if (m.sql.flip(h, id, item, job.source(), job.target(), now)) {
                    moved.add(item);
                    bytes += item.size();
                } else {
                    vanished.add(item);
                }
            }
            for (MigrationCatalog.Item item : failed) {
                m.sql.item(h, id, item, MigrationCatalog.FAILED, now);
            }
            m.sql.count(h, id, moved.size(), bytes, failed.size(), now);
            return progress(h, m.sql.job(h, id).orElseThrow(), now);
        });
        moved.forEach(item -> m.catalog.changed(item.fileId())); // before the sources go
        for (MigrationCatalog.Item item : vanished) {
            // Purged while it moved: the delete wins, and the copy it did not know of goes too.
            if (!item.targetHeld()) {
                MigrationCopies.quietly(() -> target.delete(BlobKey.of(item.blobKey())));
            }
        }
        if (job.deleteSource() && !moved.isEmpty()) {
            deleteSources(moved, pool);
        }
    }

    private void deleteSources(List<MigrationCatalog.Item> moved, ExecutorService pool) {
        List<Future<Boolean>> deletes = new ArrayList<>();
        for (MigrationCatalog.Item item : moved) {
            deletes.add(pool.submit(() -> {
                copies.acquireUninterruptibly();
                try {
                    BlobKey key = BlobKey.of(item.blobKey());
                    return patiently(() -> {
                        source.delete(key);
                        source.feature(SoftDelete.class).ifPresent(trash -> trash.purge(key));
                    });
                } catch (RuntimeException e) {
                    m.failures.record(item.ownerId(), DELETE_SOURCE, "file:" + item.fileId(), detail(item), e);
                    return false;
                } finally {
                    copies.release();
                }
            }));
        }
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < moved.size(); i++) {
            if (Boolean.TRUE.equals(MigrationCopies.result(deletes.get(i)))) {
                gone.add(moved.get(i).versionId());
            }
        }
        if (!gone.isEmpty()) {
            m.catalog.useTransaction("migration", h -> m.sql.sourceDeleted(h, id, gone));
        }
    }

    /** Copies one version to the target, verified; pauses (retrying) while a backend is away. */
    private Outcome copyOne(MigrationCatalog.Item item) {
        if (item.targetHeld()) {
            return Outcome.COPIED;
        }
        copies.acquireUninterruptibly();
        try {
            // Only a run that follows another can find its copies: a resume keeps what was verified.
            boolean copied = patiently(() -> {
                if (!(resumed && MigrationCopies.heldAlready(target, item))) {
                    MigrationCopies.transfer(source, target, item);
                }
            });
            return copied ? Outcome.COPIED : Outcome.SKIPPED;
        } catch (RuntimeException e) {
            if (!m.catalog.read("migration", h -> m.sql.stillOn(h, item, job.source()))) {
                // Purged while it was copied (its source object went first): the delete wins, as at the flip.
                MigrationCopies.quietly(() -> target.delete(BlobKey.of(item.blobKey())));
                return Outcome.SKIPPED;
            }
            m.failures.record(item.ownerId(), COPY, "file:" + item.fileId(), detail(item), MigrationCopies.asFailure(e, item));
            return Outcome.FAILED;
        } finally {
            copies.release();
        }
    }

    /**
     * Runs {@code work}, pausing the job and trying again while a backend is away; false when the run halted
     * before it succeeded.
     */
    private boolean patiently(Runnable work) {
        Duration backoff = FIRST_BACKOFF;
        while (!halted()) {
            try {
                work.run();
                resumeIfPaused();
                return true;
            } catch (StorageException e) {
                if (!e.kind().outage()) {
                    throw e;
                }
                pause(e);
                Migrations.sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(LAST_BACKOFF) > 0 ? LAST_BACKOFF : backoff.multipliedBy(2);
            }
        }
        return false;
    }

    private void pause(StorageException e) {
        if (paused.compareAndSet(false, true)) {
            LOG.warn("migration {} paused, a backend is away: {}", id, e.getMessage());
            announceState(MigrationJob.PAUSED, FailedOperations.scrub(String.valueOf(e.getMessage())));
        }
    }

    private void resumeIfPaused() {
        if (paused.compareAndSet(true, false)) {
            LOG.info("migration {} resumed", id);
            announceState(MigrationJob.RUNNING, "");
        }
    }

    /** Moves the job between running and paused (never out of cancelling) and says so in an event. */
    private void announceState(String state, String detail) {
        Instant now = m.clock.instant();
        MigrationCopies.quietly(() -> publish(h -> {
            h.createUpdate("UPDATE migration_jobs SET state = :state, detail = :detail, updated_at = :now"
                            + " WHERE id = :id AND state IN (:running, :paused)")
                    .bind("state", state).bind("detail", detail).bind("now", now.toEpochMilli()).bind("id", id)
                    .bind("running", MigrationJob.RUNNING).bind("paused", MigrationJob.PAUSED).execute();
            return progress(h, m.sql.job(h, id).orElseThrow(), now);
        }));
    }

    // ---- rollback ------------------------------------------------------------------------------

    private void rollBack() {
        m.catalog.useTransaction("migration", h -> m.sql.dropVanished(h, id));
        String after = "";
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            while (!stopping) {
                String from = after;
                List<MigrationCatalog.Item> batch = m.catalog.read("migration", h -> m.sql.moved(h, id, from,
                        job.batchSize()));
                if (batch.isEmpty()) {
                    break;
                }
                after = batch.getLast().versionId();
                List<Future<Boolean>> done = new ArrayList<>();
                for (MigrationCatalog.Item item : batch) {
                    done.add(pool.submit(() -> moveBack(item)));
                }
                done.forEach(MigrationCopies::result);
                Instant now = m.clock.instant();
                publish(h -> progress(h, m.sql.job(h, id).orElseThrow(), now));
            }
        }
        if (stopping) {
            giveUp();
            return;
        }
        long left = m.catalog.read("migration", h -> m.sql.movedCount(h, id));
        finish(left == 0 ? MigrationJob.ROLLED_BACK : MigrationJob.FAILED, left == 0 ? ""
                : left + " versions could not be moved back (see the failed operations); roll back again");
    }

    private boolean moveBack(MigrationCatalog.Item item) {
        copies.acquireUninterruptibly();
        try {
            BlobKey key = BlobKey.of(item.blobKey());
            if (item.sourceDeleted() || !MigrationCopies.heldAlready(source, item)) {
                MigrationCopies.transfer(target, source, item);
            }
            m.catalog.useTransaction("migration", h -> m.sql.flipBack(h, id, item, job.source(), job.target(),
                    m.clock.instant()));
            m.catalog.changed(item.fileId());
            if (!item.targetHeld()) {
                target.delete(key);
                target.feature(SoftDelete.class).ifPresent(trash -> trash.purge(key));
            }
            return true;
        } catch (RuntimeException e) {
            m.failures.record(item.ownerId(), "migration.rollback", "file:" + item.fileId(), detail(item),
                    MigrationCopies.asFailure(e, item));
            return false;
        } finally {
            copies.release();
        }
    }

    // ---- ends ------------------------------------------------------------------------------------

    private void finish(String state, String detail) {
        Instant now = m.clock.instant();
        publish(h -> {
            m.sql.finish(h, id, state, detail, now);
            m.audit.append(h, StorageService.SYSTEM, "migration." + state, "migration:" + id, AuditLog.OK, now);
            return progress(h, m.sql.job(h, id).orElseThrow(), now);
        });
    }

    /** Leaves the job as it is, with a lapsed lease, for the next start or a resume to take at once. */
    private void giveUp() {
        RuntimeException why = fatal.get();
        MigrationCopies.quietly(() -> m.catalog.useTransaction("migration", h -> {
            h.createUpdate("UPDATE migration_jobs SET lease_until = 0, detail = :detail WHERE id = :id AND runner = :me")
                    .bind("detail", why == null ? "stopped with its service" : FailedOperations.scrub(
                            String.valueOf(why.getMessage())))
                    .bind("id", id).bind("me", m.runner).execute();
        }));
    }

    /**
     * Commits {@code change} (which ends in a {@link #progress} event) and announces that event, one at a time per
     * run: two batches committing side by side would otherwise announce in either order, and a listener would see
     * {@code files_done} go back. The commits serialize on the job's row anyway (one writer on SQLite, the row
     * lock on PostgreSQL), so holding the lock across the commit costs no parallelism.
     */
    private void publish(HandleCallback<FileEvent, RuntimeException> change) {
        publishing.lock();
        try {
            m.events.announce(m.catalog.inTransaction("migration", change));
        } finally {
            publishing.unlock();
        }
    }

    private FileEvent progress(org.jdbi.v3.core.Handle h, MigrationJob now, Instant at) {
        Map<String, String> data = new java.util.LinkedHashMap<>();
        data.put("job", now.id());
        data.put("state", now.state());
        data.put("source", now.source());
        data.put("target", now.target());
        data.put("files_done", Long.toString(now.filesDone()));
        data.put("files_total", Long.toString(now.filesTotal()));
        data.put("bytes_done", Long.toString(now.bytesDone()));
        data.put("bytes_total", Long.toString(now.bytesTotal()));
        data.put("files_failed", Long.toString(now.filesFailed()));
        data.put("bytes_per_second", Long.toString((long) now.bytesPerSecond()));
        now.eta().ifPresent(eta -> data.put("eta_seconds", Long.toString(eta.toSeconds())));
        return m.events.append(h, FileEvent.MIGRATION_PROGRESS, "", "", data, at);
    }

    private Map<String, String> detail(MigrationCatalog.Item item) {
        return Map.of("job", id, "version", item.versionId(), "key", item.blobKey(), "from", job.source(),
                "to", job.target());
    }

    private static Outcome outcome(Future<Outcome> f) {
        Outcome o = MigrationCopies.result(f);
        return o == null ? Outcome.FAILED : o;
    }

}
