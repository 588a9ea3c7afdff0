package io.stowage.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.layer.CircuitBreakerSettings;
import io.stowage.layer.LayerSettings;
import io.stowage.layer.RetrySettings;
import io.stowage.layer.Timeouts;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.spi.Secrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What storage is configured, as a value: the backend types installed, the configured backends and where
 * each points, the routing, and every routed backend's settings (secrets masked) and layer settings.
 * {@code stowage backends} prints it; {@link #toJson()} is what a server returns for it. It reads the
 * configuration only: building it opens no backend.
 *
 * @param types the installed types, in type order
 * @param backends every configured backend, in name order
 * @param routing primary, fallback, mirror, tiers and probe interval
 * @param routed the routed backends (primary, fallbacks, mirrors, tiers, in that order)
 */
public record StorageDescription(List<Type> types, List<Backend> backends, Routing routing, List<Routed> routed) {

    /** An installed backend type. */
    public record Type(String type, String description, List<String> aliases, String module) {
    }

    /** A configured backend and where it points (path, bucket or container, endpoint without credentials). */
    public record Backend(String name, String type, boolean primary, String where) {
    }

    /** The routing; {@code mirrorMode} is {@code sync} or {@code async}. */
    public record Routing(String primary, List<String> fallback, List<String> mirror, String mirrorMode,
                          Map<String, String> tiers, Duration healthInterval) {
    }

    /**
     * A routed backend: its own settings, secrets masked, URLs without user info or query, layer keys left out,
     * and its layers.
     */
    public record Routed(String name, String type, Map<String, String> settings, Layers layers) {
    }

    /** The layer settings in effect for one backend. */
    public record Layers(Duration metadataTimeout, Duration firstByteTimeout, Duration readIdleTimeout,
                         Duration writeTimeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                         Duration retryBudget, int failureRatePercent, int window, int minimumCalls, Duration openFor,
                         int halfOpenCalls, boolean readOnly, String prefix) {

        static Layers of(LayerSettings l) {
            Timeouts t = l.timeouts();
            RetrySettings r = l.retry();
            CircuitBreakerSettings c = l.circuitBreaker();
            return new Layers(t.metadata(), t.firstByte(), t.readIdle(), t.write(), r.maxAttempts(), r.initialBackoff(),
                    r.maxBackoff(), r.budget(), Math.round(c.failureRatePercent()), c.window(), c.minimumCalls(),
                    c.openFor(), c.halfOpenCalls(), l.readOnly(), l.prefix().orElse(null));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(Duration.class, ToStringSerializer.instance))
            .enable(SerializationFeature.INDENT_OUTPUT);

    public StorageDescription {
        types = List.copyOf(types);
        backends = List.copyOf(backends);
        routed = List.copyOf(routed);
    }

    /** The description of {@code config} with the types of {@code providers}. */
    public static StorageDescription of(StowageConfig config, BlobStoreProviders providers) {
        List<Type> types = new ArrayList<>();
        for (BlobStoreProvider p : providers.providers()) {
            types.add(new Type(p.type(), p.description(), List.copyOf(p.aliases()), p.module()));
        }
        List<Backend> backends = new ArrayList<>();
        config.backends().forEach((name, bc) -> backends.add(new Backend(name, bc.type(),
                name.equals(config.primary()), where(bc, config))));
        Map<String, String> tiers = new LinkedHashMap<>();
        config.tiers().forEach((t, n) -> tiers.put(t.name(), n));
        Routing routing = new Routing(config.primary(), config.fallback(), config.mirror(),
                config.mirrorMode().name().toLowerCase(Locale.ROOT), tiers, config.healthInterval());
        Set<String> names = new LinkedHashSet<>();
        names.add(config.primary());
        names.addAll(config.fallback());
        names.addAll(config.mirror());
        names.addAll(config.tiers().values());
        List<Routed> routed = new ArrayList<>();
        for (String name : names) {
            BackendConfig bc = config.backend(name);
            Map<String, String> own = new TreeMap<>(Secrets.mask(bc.settings()));
            own.keySet().removeIf(k -> k.startsWith("timeout.") || k.startsWith("retry.") || k.startsWith("circuit."));
            // A URL's user info or query may carry credentials under a name that is no secret's (endpoint).
            own.replaceAll((k, v) -> v.contains("://") ? withoutCredentials(v) : v);
            routed.add(new Routed(name, bc.type(), own, Layers.of(LayerSettings.from(bc))));
        }
        return new StorageDescription(types, backends, routing, routed);
    }

    /** This description as JSON (durations as ISO-8601, such as {@code PT30S}). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a storage description did not serialize", e);
        }
    }

    /**
     * Where a backend points, from its settings alone (opening it would create a local directory or a bucket):
     * its path, else bucket or container and endpoint; a backend of the default type without a path lives in
     * the home.
     */
    static String where(BackendConfig bc, StowageConfig config) {
        StringBuilder sb = new StringBuilder();
        bc.get("path").ifPresent(p -> sb.append("path ").append(p));
        bc.get("bucket").ifPresent(b -> sb.append("bucket ").append(b));
        bc.get("container").ifPresent(c -> sb.append("container ").append(c));
        bc.get("prefix").ifPresent(p -> sb.append(", prefix ").append(p));
        bc.get("endpoint").ifPresent(e -> sb.append(sb.isEmpty() ? "" : " at ").append(withoutCredentials(e)));
        if (sb.isEmpty() && bc.type().equals(ConfigLoader.DEFAULT_PRIMARY)) {
            sb.append("path ").append(config.home());
        }
        return sb.toString();
    }

    /** An endpoint without user info or query, where credentials (a SAS, say) could hide. */
    static String withoutCredentials(String endpoint) {
        String e = endpoint.replaceFirst("[?#].*$", "");
        return e.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
    }
}
