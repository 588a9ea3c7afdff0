package io.stowage.service;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance jobs of a service (decision 0054), reached through {@link StorageService#maintenance()}: which
 * there are, running one now, their schedule and the record of their runs. Thread-safe.
 *
 * <p>What a caller may rely on: a run holds its job's lease in the catalog, so however many nodes share the catalog
 * and however a run was asked for (the schedule, the CLI, the admin API), one run of a job goes at a time; a run
 * asked for while another holds the lease is refused with {@code ALREADY_EXISTS}. Every run is recorded (start, end,
 * outcome, counts, errors) before its method returns. A node that stops during a run leaves the lease to expire
 * ({@code maintenance.lease_ttl}) and the run to be marked abandoned by the next one. On a schedule, a job runs when
 * its interval has passed since its latest successful run on any node.
 */
public final class Maintenance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
    /** The longest the schedule waits before looking at a job again. */
    private static final Duration TICK = Duration.ofMinutes(1);

    private record Registered(MaintenanceJob job, Duration interval) {
    }

    private final CatalogDatabase catalog;
    private final MaintenanceCatalog records = new MaintenanceCatalog();
    private final MaintenanceSettings settings;
    private final Clock clock;
    private final String node;
    private final Map<String, Registered> jobs = new ConcurrentHashMap<>();
    private final Set<String> runningHere = ConcurrentHashMap.newKeySet();
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("stowage-maintenance").factory());
    private volatile boolean closed;

    Maintenance(CatalogDatabase catalog, MaintenanceSettings settings, Clock clock) {
        this.catalog = catalog;
        this.settings = settings;
        this.clock = clock;
        this.node = nodeName();
    }

    /**
     * Adds a job, run every {@code defaultInterval} unless {@code maintenance.schedule} names another interval for
     * it ({@link Duration#ZERO}: only when asked). Registering a name again replaces the job. Jobs registered after
     * {@link #start()} run on their schedule too.
     */
    public void register(MaintenanceJob job, Duration defaultInterval) {
        Registered r = new Registered(job, settings.interval(job.name(), defaultInterval));
        jobs.put(job.name(), r);
        synchronized (scheduled) {
            if (!scheduled.isEmpty()) {
                schedule(r);
            }
        }
    }

    /** The names of the jobs, sorted. */
    public List<String> jobs() {
        return jobs.keySet().stream().sorted().toList();
    }

    /** The name this node records its runs and leases under: host, process and a random part. */
    public String node() {
        return node;
    }

    /**
     * Runs {@code job} now on this thread and returns its recorded run.
     *
     * @throws StorageException {@code NOT_FOUND} for a job there is not (the message lists those there are);
     *     {@code ALREADY_EXISTS} while a run of it holds the lease, here or on another node
     */
    public JobRun run(String job, boolean dryRun) {
        Registered r = jobs.get(job);
        if (r == null) {
            throw StorageException.notFound(null, "no maintenance job '"
                    + (job != null && job.matches("[a-z0-9-]{1,64}") ? job : "?") + "'; there are " + jobs());
        }
        String holder = node + "/" + UUID.randomUUID().toString().substring(0, 8);
        String lease = leaseOf(r);
        Instant now = clock.instant();
        boolean taken = catalog.inTransaction("maintenance", h -> records.take(h, lease, holder, now,
                now.plus(settings.leaseTtl())));
        if (!taken) {
            String by = catalog.withHandle("maintenance", h -> records.held(h, clock.instant())).stream()
                    .filter(l -> l.job().equals(lease)).findFirst()
                    .map(l -> " by " + l.holder() + " until " + l.expires()).orElse("");
            throw StorageException.builder(ErrorKind.ALREADY_EXISTS).operation("maintenance")
                    .message("maintenance job '" + job + "' is running" + by).build();
        }
        long renewEvery = Math.max(1, settings.leaseTtl().toMillis() / 3);
        ScheduledFuture<?> renewal = timer.scheduleWithFixedDelay(() -> renew(lease, holder), renewEvery, renewEvery,
                TimeUnit.MILLISECONDS);
        try {
            long id = catalog.inTransaction("maintenance", h -> records.start(h, job, node, r.job().perNode(), dryRun,
                    clock.instant()));
            JobRun.Outcome outcome = JobRun.Outcome.OK;
            JobReport report;
            try {
                report = r.job().run(new JobContext(dryRun, clock));
            } catch (RuntimeException e) {
                LOG.warn("maintenance job {} failed", job, e);
                outcome = JobRun.Outcome.FAILED;
                report = JobReport.builder().error(e instanceof StorageException s ? s.kind() + ": " + s.reason()
                        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())).build();
            }
            JobRun.Outcome ended = outcome;
            JobReport reported = report;
            catalog.useTransaction("maintenance", h -> records.finish(h, id, ended, reported, clock.instant()));
            LOG.info("maintenance job {}{} {}: {}{}", job, dryRun ? " (dry run)" : "", ended.name().toLowerCase(),
                    reported.counts(), reported.errors().isEmpty() ? "" : ", " + reported.errors().size() + " error(s)");
            return catalog.withHandle("maintenance", h -> records.run(h, id)).orElseThrow();
        } finally {
            renewal.cancel(false);
            catalog.useTransaction("maintenance", h -> records.release(h, lease, holder));
        }
    }

    /** Every job with its interval, latest run and lease, by name. */
    public List<JobStatus> status() {
        Instant now = clock.instant();
        return catalog.withHandle("maintenance", h -> {
            Map<String, MaintenanceCatalog.Lease> leases = records.held(h, now).stream()
                    .collect(Collectors.toMap(MaintenanceCatalog.Lease::job, Function.identity()));
            List<JobStatus> out = new ArrayList<>();
            for (String name : jobs()) {
                Optional<MaintenanceCatalog.Lease> lease = Optional.ofNullable(leases.get(name));
                out.add(new JobStatus(name, jobs.get(name).interval(), records.last(h, name),
                        lease.map(MaintenanceCatalog.Lease::holder), lease.map(MaintenanceCatalog.Lease::expires)));
            }
            return out;
        });
    }

    /**
     * The latest runs of {@code job}, newest first, at most {@code limit} (1 to 1000).
     *
     * @throws StorageException {@code INVALID_ARGUMENT} for a limit out of bounds
     */
    public List<JobRun> runs(String job, int limit) {
        if (limit < 1 || limit > StorageService.MAX_PAGE) {
            throw StorageException.invalidArgument("limit must be 1 to " + StorageService.MAX_PAGE + ", was " + limit);
        }
        return catalog.withHandle("maintenance", h -> records.runs(h, job, limit));
    }

    /**
     * Starts running every job on its interval (a server calls it when {@code maintenance.enabled}); each due job
     * runs on a virtual thread of its own. Calling it again changes nothing.
     */
    public void start() {
        synchronized (scheduled) {
            if (!scheduled.isEmpty() || closed) {
                return;
            }
            // A placeholder, so a job registered from now on is scheduled even when none is yet.
            scheduled.add(timer.schedule(() -> { }, 0, TimeUnit.MILLISECONDS));
            jobs.values().forEach(this::schedule);
        }
    }

    /** Stops the schedule; runs under way finish (their leases are freed as they end). */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }

    private void schedule(Registered r) {
        if (r.interval().isZero() || closed) {
            return;
        }
        long period = Math.min(r.interval().toMillis(), TICK.toMillis());
        scheduled.add(timer.scheduleWithFixedDelay(() -> due(r.job().name()), period, period, TimeUnit.MILLISECONDS));
    }

    /** Runs {@code job} when its interval has passed since its latest successful run anywhere. */
    private void due(String job) {
        Registered r = jobs.get(job);
        if (r == null || r.interval().isZero() || closed || !runningHere.add(job)) {
            return;
        }
        Thread.ofVirtual().name("stowage-maintenance-" + job).start(() -> {
            try {
                Optional<Instant> last = catalog.withHandle("maintenance", h -> records.lastDone(h, job,
                        r.job().perNode() ? Optional.of(node) : Optional.empty()));
                if (last.isEmpty() || !clock.instant().isBefore(last.get().plus(r.interval()))) {
                    run(job, false);
                }
            } catch (StorageException e) {
                if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                    LOG.warn("scheduled maintenance job {} did not run: {}", job, e.getMessage());
                }
            } finally {
                runningHere.remove(job);
            }
        });
    }

    /** The lease a run of {@code r} holds: the job's, or for a job per node, this node's of it. */
    private String leaseOf(Registered r) {
        return r.job().perNode() ? r.job().name() + "@" + node : r.job().name();
    }

    private void renew(String job, String holder) {
        try {
            if (!catalog.inTransaction("maintenance", h -> records.renew(h, job, holder,
                    clock.instant().plus(settings.leaseTtl())))) {
                LOG.warn("maintenance job {} lost its lease (held longer than maintenance.lease_ttl without renewal)", job);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not renew the lease of maintenance job {}: {}", job, e.getMessage());
        }
    }

    private static String nodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 4);
    }
}
