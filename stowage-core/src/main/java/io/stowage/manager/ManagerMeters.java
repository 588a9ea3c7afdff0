package io.stowage.manager;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.stowage.BlobStore;
import io.stowage.layer.CircuitBreakerLayer;
import io.stowage.layer.LayerStack;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The meters one {@link StorageManager} puts in a registry, and their removal when it closes: its gauges,
 * and the meters its backends' layers registered ({@code stowage.*} with the tag {@code backend}).
 *
 * <p>Several managers may share a registry, one after another (a reload closes the old manager, then
 * builds the new one) or for a while side by side (the new one is built first). A gauge reports the
 * newest manager that registered it: registering replaces another manager's gauge of the same name and
 * tags, and closing removes only gauges still its own. Layer meters of a backend name are shared by the
 * managers open on it (Micrometer hands out one meter per name and tags), so they are removed when the
 * last manager with that backend name closes.
 */
final class ManagerMeters {

    private static final String TAG = "backend";
    private static final String PREFIX = "stowage.";
    /** Open managers per registry and backend name. */
    private static final Map<MeterRegistry, Map<String, Integer>> OPEN = new WeakHashMap<>();
    private static final ReentrantLock LOCK = new ReentrantLock();

    private final MeterRegistry registry;
    private final Set<String> backends;
    private final List<Gauge> gauges = new ArrayList<>();
    private boolean closed;

    private ManagerMeters(MeterRegistry registry, Set<String> backends) {
        this.registry = registry;
        this.backends = backends;
    }

    /** Counts the manager's backends as open in {@code registry}; call before their layers register meters. */
    static ManagerMeters claim(MeterRegistry registry, Set<String> backends) {
        LOCK.lock();
        try {
            Map<String, Integer> open = OPEN.computeIfAbsent(registry, r -> new HashMap<>());
            backends.forEach(name -> open.merge(name, 1, Integer::sum));
        } finally {
            LOCK.unlock();
        }
        return new ManagerMeters(registry, Set.copyOf(backends));
    }

    /**
     * Registers, per backend, {@code stowage.circuit.state} (when it has a breaker), {@code stowage.health.state},
     * {@code stowage.health.probe.latency} and {@code stowage.health.consecutive.failures}.
     */
    void registerGauges(Map<String, BlobStore> stores, Function<String, BackendHealth.State> state,
                        Function<String, BackendHealth> last) {
        for (Map.Entry<String, BlobStore> e : stores.entrySet()) {
            String name = e.getKey();
            LayerStack.find(e.getValue(), CircuitBreakerLayer.class).ifPresent(cb -> {
                for (CircuitBreaker.State st : CircuitBreaker.State.values()) {
                    register("stowage.circuit.state", Tags.of(TAG, name, "state", st.name().toLowerCase(Locale.ROOT)),
                            () -> cb.breaker().getState() == st ? 1 : 0, "1 for the circuit breaker's current state",
                            null);
                }
            });
            for (BackendHealth.State st : BackendHealth.State.values()) {
                register("stowage.health.state", Tags.of(TAG, name, "state", st.label()),
                        () -> state.apply(name) == st ? 1 : 0, "1 for the backend's current health state", null);
            }
            register("stowage.health.probe.latency", Tags.of(TAG, name), () -> {
                BackendHealth h = last.apply(name);
                return h == null ? Double.NaN : h.latency().toNanos() / 1e9;
            }, "latency of the last health probe", "seconds");
            register("stowage.health.consecutive.failures", Tags.of(TAG, name), () -> {
                BackendHealth h = last.apply(name);
                return h == null ? 0 : h.consecutiveFailures();
            }, "health probes failed in a row", null);
        }
    }

    /**
     * Registers a gauge. Micrometer would hand back a gauge of the same name and tags that another manager
     * registered, reading that manager's state: that one is removed first.
     */
    private void register(String name, Tags tags, Supplier<Number> value, String description, String baseUnit) {
        LOCK.lock();
        try {
            Gauge other = registry.find(name).tags(tags).gauge();
            if (other != null) {
                registry.remove(other);
            }
            gauges.add(Gauge.builder(name, value).tags(tags).description(description).baseUnit(baseUnit)
                    .register(registry));
        } finally {
            LOCK.unlock();
        }
    }

    /** Removes this manager's gauges, and the layer meters of backend names no other open manager has. */
    void close() {
        LOCK.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Gauge g : gauges) {
                // Meters are equal by name and tags: only the very gauge this manager registered is removed.
                if (registry.find(g.getId().getName()).tags(g.getId().getTags()).gauge() == g) {
                    registry.remove(g);
                }
            }
            Map<String, Integer> open = OPEN.computeIfAbsent(registry, r -> new HashMap<>());
            List<String> gone = new ArrayList<>();
            for (String name : backends) {
                if (open.merge(name, -1, Integer::sum) <= 0) {
                    open.remove(name);
                    gone.add(name);
                }
            }
            if (open.isEmpty()) {
                OPEN.remove(registry);
            }
            for (Meter m : List.copyOf(registry.getMeters())) {
                String backend = m.getId().getTag(TAG);
                if (backend != null && gone.contains(backend) && m.getId().getName().startsWith(PREFIX)) {
                    registry.remove(m);
                }
            }
        } finally {
            LOCK.unlock();
        }
    }
}
