package io.stowage.manager;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.HealthReport;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.composite.FailoverStore;
import io.stowage.composite.FallbackOn;
import io.stowage.composite.MirrorStore;
import io.stowage.composite.Replayer;
import io.stowage.composite.TierRouter;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.journal.FileWriteJournal;
import io.stowage.journal.WriteJournal;
import io.stowage.layer.CircuitBreakerLayer;
import io.stowage.layer.LayerStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Builds and owns every backend the configuration routes to (DESIGN §2, §6, decision 0008):
 * <ul>
 *   <li>each backend named by {@code primary}, {@code fallback}, {@code mirror} or {@code tiers} is opened
 *       through its provider and wrapped in the layer stack, in one place ({@link LayerStack});
 *   <li>{@link #store()} is the routed store, composed outermost first as
 *       <pre>tier router → mirror → failover → (each backend's layer stack)</pre>
 *       the primary, with failover to the fallbacks when there are any, mirrored to the replicas when there
 *       are any, routed by tier when {@code tiers:} names backends (a tier naming the primary gets the
 *       mirrored, failing-over primary); with none of these (the spec's single {@code PRIMARY_BACKEND}) it is
 *       the primary alone and no state is written;
 *   <li>journalled writes live in {@code STOWAGE_HOME/state/journal.log} ({@link FileWriteJournal}), or in the
 *       journal given to its {@link Builder};
 *   <li>{@link #health()} probes every backend at once, each on a virtual thread; {@link #startProbes()} does so in the background every
 *       {@code health_interval}, and replays the journal in the background once a backend writes wait for is
 *       up again; health listeners hear of every {@link BackendHealthChanged};
 *   <li>gauges in the meter registry, tag {@code backend}: {@code stowage.circuit.state} and
 *       {@code stowage.health.state} (1 for the current {@code state} tag, 0 for the others; a backend
 *       that refuses us is {@code refusing}, one that is away {@code down}, one not probed yet {@code unknown}),
 *       {@code stowage.health.probe.latency} (seconds, last probe) and
 *       {@code stowage.health.consecutive.failures}.
 * </ul>
 * A primary that cannot be opened stops start-up with its error, unless there are fallbacks: then the
 * manager starts, says so in the log and in health, and the failure decides (decision 0014): an outage
 * ({@code UNAVAILABLE}, {@code TIMEOUT}) starts it degraded with writes going to the fallbacks; a
 * refusal ({@code CONFIG}, {@code PERMISSION_DENIED}) leaves the primary refusing, every call failing with
 * that error, as a primary that refuses our credentials later does, unless {@code fallback_on} names
 * refusals (decision 0037): then it starts refusing but degraded, its writes journalled on the fallbacks.
 */
public final class StorageManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StorageManager.class);

    private final StowageConfig config;
    private final Map<String, BlobStore> backends;
    private final WriteJournal journal;
    private final FailoverStore failover;
    private final MirrorStore mirror;
    private final BlobStore routed;
    private final MirrorStore.Mode mirrorMode;
    private final Map<String, BackendHealth> lastHealth = new ConcurrentHashMap<>();
    private final Map<String, BackendHealth.State> states = new ConcurrentHashMap<>();
    private final List<Consumer<BackendHealthChanged>> listeners = new CopyOnWriteArrayList<>();
    private final ManagerMeters meters;
    private final BackgroundReplay autoReplay = new BackgroundReplay(this::replay);
    /** Whether {@link #close()} closes the journal: only one the manager opened itself. */
    private final boolean ownsJournal;
    /** Guards {@link #probes} and closing; a lock, not a monitor, since closing backends is I/O. */
    private final ReentrantLock lock = new ReentrantLock();
    private ScheduledExecutorService probes;
    private boolean closed;
    private final UnroutedBackends unrouted;

    private StorageManager(StowageConfig config, Map<String, BlobStore> backends, WriteJournal journal,
                           boolean ownsJournal, MirrorStore.Mode mirrorMode, ManagerMeters meters,
                           BlobStoreProviders providers, MeterRegistry registry) {
        this.unrouted = new UnroutedBackends(config, providers, registry);
        this.config = config;
        this.backends = Collections.unmodifiableMap(backends);
        this.journal = journal;
        this.ownsJournal = ownsJournal;
        this.mirrorMode = mirrorMode;
        this.meters = meters;
        // Unknown until the first probe, unless opening it failed: a backend never probed was never seen up.
        backends.forEach((name, store) -> states.put(name, LayerStack.find(store, DownBlobStore.class)
                .map(down -> down.refusing() ? BackendHealth.State.REFUSING : BackendHealth.State.DOWN)
                .orElse(BackendHealth.State.UNKNOWN)));
        BlobStore primary = backends.get(config.primary());
        BlobStore store = primary;
        if (!config.fallback().isEmpty()) {
            failover = new FailoverStore(primary, config.fallback().stream().map(backends::get).toList(), journal,
                    config.fallbackOn());
            if (states.get(config.primary()) == BackendHealth.State.REFUSING) {
                failover.refusalLogged(); // opening it said so, loudly
            }
            store = failover;
        } else {
            failover = null;
        }
        if (!config.mirror().isEmpty()) {
            mirror = new MirrorStore(store, config.mirror().stream().map(backends::get).toList(), journal, mirrorMode);
            store = mirror;
        } else {
            mirror = null;
        }
        if (!config.tiers().isEmpty()) {
            Map<Tier, BlobStore> tiers = new EnumMap<>(Tier.class);
            BlobStore routedPrimary = store;
            config.tiers().forEach((tier, name) -> tiers.put(tier,
                    name.equals(config.primary()) ? routedPrimary : backends.get(name)));
            store = new TierRouter(store, tiers);
        }
        this.routed = store;
        meters.registerGauges(this.backends, states::get, lastHealth::get);
    }


    /**
     * A builder of a manager over {@code config}; every other part defaults as {@link #open(StowageConfig,
     * BlobStoreProviders)} has it.
     */
    public static Builder builder(StowageConfig config) {
        return new Builder(config);
    }

    /**
     * Opens every routed backend, each in its layer stack (settings from {@code layers:} and the backend's
     * own keys), with the configured mirror mode and its own meter registry.
     *
     * @throws StorageException the primary's failure to open when there is no fallback; any other
     *     backend's failure to open
     */
    public static StorageManager open(StowageConfig config, BlobStoreProviders providers) {
        return builder(config).providers(providers).open();
    }

    /** As {@link #open(StowageConfig, BlobStoreProviders)}, with metrics and gauges in {@code registry}. */
    public static StorageManager open(StowageConfig config, BlobStoreProviders providers, MeterRegistry registry) {
        return builder(config).providers(providers).registry(registry).open();
    }

    /** As {@link #open(StowageConfig, BlobStoreProviders, MeterRegistry)}, with {@code mirrorMode} over the configured one. */
    public static StorageManager open(StowageConfig config, BlobStoreProviders providers, MeterRegistry registry,
                                      MirrorStore.Mode mirrorMode) {
        return builder(config).providers(providers).registry(registry).mirrorMode(mirrorMode).open();
    }

    /**
     * What a manager is built from. Only the configuration is required; by default the providers are those
     * on the classpath ({@link BlobStoreProviders#load()}), metrics and gauges go to a registry of the
     * manager's own ({@link SimpleMeterRegistry}), the mirror mode is the configured one, and the journal
     * is a {@link FileWriteJournal} in {@code STOWAGE_HOME/state} when there are fallbacks or mirrors
     * (none otherwise). A journal given here is used whatever the routing and is left open by
     * {@link StorageManager#close()}: its owner closes it, so a reload can build the next manager over it.
     */
    public static final class Builder {
        private final StowageConfig config;
        private BlobStoreProviders providers;
        private MeterRegistry registry;
        private WriteJournal journal;
        private MirrorStore.Mode mirrorMode;

        private Builder(StowageConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder providers(BlobStoreProviders providers) {
            this.providers = Objects.requireNonNull(providers, "providers");
            return this;
        }

        public Builder registry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public Builder journal(WriteJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        public Builder mirrorMode(MirrorStore.Mode mirrorMode) {
            this.mirrorMode = Objects.requireNonNull(mirrorMode, "mirrorMode");
            return this;
        }

        /**
         * Opens every routed backend, each in its layer stack.
         *
         * @throws StorageException the primary's failure to open when there is no fallback; any other
         *     backend's failure to open
         */
        public StorageManager open() {
            BlobStoreProviders providers = this.providers != null ? this.providers : BlobStoreProviders.load();
            MeterRegistry registry = this.registry != null ? this.registry : new SimpleMeterRegistry();
            Set<String> names = new LinkedHashSet<>();
            names.add(config.primary());
            names.addAll(config.fallback());
            names.addAll(config.mirror());
            names.addAll(config.tiers().values());
            ManagerMeters meters = ManagerMeters.claim(registry, names);
            Map<String, BlobStore> opened = new LinkedHashMap<>();
            try {
                OpenBackends.open(config, names, providers, registry, opened);
                boolean ownsJournal = journal == null;
                WriteJournal used = !ownsJournal ? journal
                        : config.fallback().isEmpty() && config.mirror().isEmpty() ? null
                        : FileWriteJournal.open(config.home().resolve("state"));
                return new StorageManager(config, opened, used, ownsJournal,
                        mirrorMode != null ? mirrorMode : config.mirrorMode(), meters, providers, registry);
            } catch (RuntimeException e) {
                opened.values().forEach(OpenBackends::closeQuietly);
                meters.close();
                throw e;
            }
        }
    }

    /** The routed store every caller should use. */
    public BlobStore store() {
        return routed;
    }

    /** The wrapped backends by name, in routing order (primary first). */
    public Map<String, BlobStore> backends() {
        return backends;
    }

    public Optional<BlobStore> backend(String name) {
        return Optional.ofNullable(backends.get(name));
    }

    /** Backend {@code name} of the configuration, routed or not (one that routes nothing opens on first use). */
    public Optional<BlobStore> configured(String name) {
        BlobStore routedOne = backends.get(name);
        return routedOne != null ? Optional.of(routedOne) : unrouted.open(name);
    }

    public String primary() {
        return config.primary();
    }

    /** The configuration it was built from (describe it with {@link io.stowage.config.StorageDescription}). */
    public StowageConfig config() {
        return config;
    }

    public List<String> fallback() {
        return config.fallback();
    }

    public List<String> mirror() {
        return config.mirror();
    }

    /** When mirror replicas are written (meaningful only with mirrors). */
    public MirrorStore.Mode mirrorMode() {
        return mirrorMode;
    }

    /** The backend of each routed tier (empty without {@code tiers:}). */
    public Map<Tier, String> tiers() {
        return config.tiers();
    }

    /** Pending journalled writes (0 without fallback or mirror). */
    public int journalled() {
        return journal == null ? 0 : journal.size();
    }

    /**
     * The pending journal entry for {@code key} on backend {@code target}: a write made elsewhere while
     * {@code target} was away (or missed by it, for a mirror replica), not yet replayed. Empty without
     * fallback or mirror.
     */
    public Optional<WriteJournal.Entry> journalled(String target, io.stowage.BlobKey key) {
        return journal == null ? Optional.empty() : journal.latest(target, key);
    }

    /**
     * What the primary failed with when it last sent a call on to a fallback, since it last took a write
     * (see {@link FailoverStore#primaryPassedOver()}); empty without fallbacks.
     */
    public Optional<ErrorKind> primaryPassedOver() {
        return failover == null ? Optional.empty() : failover.primaryPassedOver();
    }

    /** Copies every journalled write, failover and mirror alike, to where it belongs. */
    public Replayer.Report replay() {
        if (journal == null) {
            return new Replayer.Report(0, 0, 0, 0);
        }
        Map<String, BlobStore> stores = new LinkedHashMap<>(backends);
        if (failover != null) {
            stores.putIfAbsent(failover.name(), failover);
        }
        return Replayer.over(journal, stores).replay();
    }

    /** Compares checksums across the mirrors (and repairs, when asked); empty without mirrors. */
    public Optional<MirrorStore.VerifyReport> verify(boolean repair) {
        return mirror == null ? Optional.empty() : Optional.of(mirror.verify(repair));
    }

    /** Probes every backend now, records the results and tells listeners about changes. */
    public HealthStatus health() {
        // Every backend is probed at once, each on a virtual thread: one that hangs does not hold up the
        // others' results, and there the timeout layer's watchdog can cut a blocked socket read, which it
        // cannot on a platform thread (decision 0012).
        Map<String, Future<BackendHealth>> probing = new LinkedHashMap<>();
        // The probes log under the caller's correlation id (a CLI command's, a server request's).
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            backends.forEach((name, store) -> probing.put(name, threads.submit(() -> {
                if (mdc != null) {
                    MDC.setContextMap(mdc);
                }
                try {
                    return probe(name, store);
                } finally {
                    MDC.clear();
                }
            })));
        }
        Map<String, BackendHealth> out = new LinkedHashMap<>();
        probing.forEach((name, probe) -> out.put(name, probe.resultNow()));
        String writesTo = "";
        String refusedBy = "";
        List<String> order = new ArrayList<>();
        order.add(config.primary());
        order.addAll(config.fallback());
        // As the failover does: an outage sends writes on, a refusal is the answer (decision 0014) unless
        // fallback_on names refusals (decision 0037).
        Set<FallbackOn> fallbackOn = config.fallbackOn();
        for (String n : order) {
            BackendHealth h = out.get(n);
            // An open circuit refuses writes at once, so the failover sends them on even while probes pass.
            if (h.circuit().equals("open") || h.state() == BackendHealth.State.DOWN
                    || (h.state() == BackendHealth.State.REFUSING && !n.equals(order.get(order.size() - 1))
                    && h.errorKind().map(k -> FallbackOn.passesOn(fallbackOn, k)).orElse(false))) {
                continue;
            }
            if (h.state() == BackendHealth.State.REFUSING) {
                refusedBy = n;
            } else {
                writesTo = n;
            }
            break;
        }
        return new HealthStatus(out, config.primary(), writesTo, refusedBy, journalled(), autoReplay.running());
    }

    private BackendHealth probe(String name, BlobStore store) {
        HealthReport r;
        try {
            r = store.health();
        } catch (StorageException e) {
            r = HealthReport.unhealthy(name, Duration.ZERO, e);
        } catch (RuntimeException e) {
            r = HealthReport.unhealthy(name, Duration.ZERO, io.stowage.ErrorKind.INTERNAL, e.getClass().getSimpleName());
        }
        String circuit = LayerStack.find(store, CircuitBreakerLayer.class).map(CircuitBreakerLayer::state).orElse("-");
        BackendHealth.State state = r.refusing() ? BackendHealth.State.REFUSING
                : !r.healthy() ? BackendHealth.State.DOWN
                : circuit.equals("closed") || circuit.equals("-") ? BackendHealth.State.UP : BackendHealth.State.DEGRADED;
        BackendHealth before = lastHealth.get(name);
        int failures = r.healthy() ? 0 : (before == null ? 0 : before.consecutiveFailures()) + 1;
        BackendHealth now = new BackendHealth(name, state, r.latency(), r.detail() == null ? "" : r.detail(), failures,
                circuit, r.checkedAt(), r.errorKind());
        lastHealth.put(name, now);
        BackendHealth.State was = states.put(name, state);
        // A backend first seen up is what was expected of it: no change to tell.
        boolean first = was == null || was == BackendHealth.State.UNKNOWN;
        if (was != null && was != state && !(first && state == BackendHealth.State.UP)) {
            if (first) {
                LOG.warn("backend '{}' is {} at its first probe: {}{}", name, state.label(),
                        r.errorKind().map(k -> k + ": ").orElse(""), now.detail());
            } else if (state == BackendHealth.State.UP) {
                LOG.info("backend '{}' is up again (was {})", name, was.label());
            } else {
                LOG.warn("backend '{}' is now {} (was {}): {}{}", name, state.label(), was.label(),
                        r.errorKind().map(k -> k + ": ").orElse(""), now.detail());
            }
            BackendHealthChanged event = new BackendHealthChanged(name, was, state, now);
            for (Consumer<BackendHealthChanged> l : listeners) {
                try {
                    l.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("a health listener failed on {}: {}", event, e.toString());
                }
            }
        }
        return now;
    }

    /** Called with every {@link BackendHealthChanged}, on the thread that probed. */
    public void addHealthListener(Consumer<BackendHealthChanged> listener) {
        listeners.add(listener);
    }

    /** The last probe's result per backend, without probing. */
    public Map<String, BackendHealth> lastHealth() {
        return Map.copyOf(lastHealth);
    }

    /** Probes every backend every {@code health_interval} of the configuration; see {@link #startProbes(Duration)}. */
    public void startProbes() {
        startProbes(config.healthInterval());
    }

    /** Probes every backend every {@code interval} on a background thread until {@link #close()}. */
    public void startProbes(Duration interval) {
        lock.lock();
        try {
            if (probes != null || closed) {
                return;
            }
            probes = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("stowage-health").factory());
            probes.scheduleWithFixedDelay(() -> {
                try {
                    replayWhenBack(health());
                } catch (RuntimeException e) {
                    LOG.warn("health probe failed: {}", e.toString());
                }
            }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a background replay when writes wait for a backend that {@code status} finds up (issue 17): until
     * then reads of those keys go where the journal says, and the probes keep trying.
     */
    private void replayWhenBack(HealthStatus status) {
        if (journal == null || autoReplay.running()) {
            return;
        }
        journal.pending().stream().map(WriteJournal.Entry::target).distinct()
                .filter(t -> status.backends().containsKey(t) && status.backends().get(t).state() == BackendHealth.State.UP)
                .findFirst().ifPresent(t -> autoReplay.start("'" + t + "' is up and " + journalled() + " write(s) wait"));
    }

    /** Whether a background replay, started by the probes, is copying journalled writes now. */
    public boolean replaying() {
        return autoReplay.running();
    }

    /**
     * Stops the probes, closes every backend (each removes what it left behind: an S3 backend its shutdown
     * hook) and the journal the manager opened (not one given to its {@link Builder}), and removes its gauges
     * and its backends' layer meters from the registry, so a manager built next over the same registry
     * reports its own backends. Closing twice is harmless.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (probes != null) {
                probes.shutdownNow();
            }
        } finally {
            lock.unlock();
        }
        autoReplay.close();
        try {
            if (probes != null) {
                // A probe under way would record into gauges about to go; it is interrupted, not waited on long.
                probes.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (mirror != null) {
            mirror.close();
        }
        backends.values().forEach(OpenBackends::closeQuietly);
        unrouted.close();
        if (journal != null && ownsJournal) {
            journal.close();
        }
        meters.close();
    }
}
