package io.stowage.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stowage.manager.StorageManager;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server reports on and where it keeps its meters: a Prometheus registry with the JVM's metrics
 * bound, and, when the server runs over a {@link StorageManager}, that manager, whose backends
 * {@code /health/storage} and {@code /health/ready} probe. Open the manager with {@link #registry()} so its
 * layers' {@code stowage.operations} and its health and circuit gauges appear on {@code /metrics}:
 *
 * <pre>
 * Monitoring monitoring = Monitoring.create();
 * StorageManager manager = StorageManager.open(config, providers, monitoring.registry());
 * StowageServer.start(settings, StorageService.open(serviceSettings, manager), authenticator,
 *         monitoring.over(manager));
 * </pre>
 *
 * Without a manager the server probes the store the service writes to, under that store's name.
 */
public final class Monitoring implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final StorageManager manager;

    private Monitoring(PrometheusMeterRegistry registry, JvmGcMetrics gc, StorageManager manager) {
        this.registry = registry;
        this.gc = gc;
        this.manager = manager;
    }

    /** A new Prometheus registry with memory, GC, threads, classes, CPU, uptime and file descriptors bound. */
    public static Monitoring create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return new Monitoring(registry, gc, null);
    }

    /** The same registry, reporting on {@code manager}'s backends. */
    public Monitoring over(StorageManager manager) {
        return new Monitoring(registry, gc, Objects.requireNonNull(manager, "manager"));
    }

    /** Where meters go; give it to the {@link StorageManager} too. */
    public MeterRegistry registry() {
        return registry;
    }

    PrometheusMeterRegistry prometheus() {
        return registry;
    }

    Optional<StorageManager> manager() {
        return Optional.ofNullable(manager);
    }

    /** Stops the GC listener; the registry's meters stay readable. */
    @Override
    public void close() {
        gc.close();
    }
}
