package io.stowage.spi;

import io.stowage.BlobStore;
import io.stowage.StorageException;
import io.stowage.layer.CapabilityCheck;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of backend types found on the classpath through {@link ServiceLoader}. Asking for a
 * type whose module is absent fails with a message naming the types present and the module to add.
 */
public final class BlobStoreProviders {

    /** Which module provides which type, for the message when one is missing. */
    private static final Map<String, String> MODULE_OF_TYPE = Map.of(
            "local", "stowage-backend-local",
            "memory", "stowage-core",
            "s3", "stowage-backend-s3",
            "aws_s3", "stowage-backend-s3",
            "minio", "stowage-backend-s3",
            "s3_compatible", "stowage-backend-s3",
            "azure_blob", "stowage-backend-azure",
            "gcs", "stowage-backend-gcs");

    private final Map<String, BlobStoreProvider> byType;

    private BlobStoreProviders(List<BlobStoreProvider> providers) {
        Map<String, BlobStoreProvider> m = new TreeMap<>();
        for (BlobStoreProvider p : providers) {
            m.putIfAbsent(p.type(), p);
            for (String alias : p.aliases()) {
                m.putIfAbsent(alias, p);
            }
        }
        this.byType = Collections.unmodifiableMap(m);
    }

    /** The providers visible to this class's class loader. */
    public static BlobStoreProviders load() {
        return load(BlobStoreProviders.class.getClassLoader());
    }

    public static BlobStoreProviders load(ClassLoader loader) {
        List<BlobStoreProvider> found = new ArrayList<>();
        ServiceLoader.load(BlobStoreProvider.class, loader).forEach(found::add);
        return new BlobStoreProviders(found);
    }

    /** A registry of exactly these providers (tests, embedding). */
    public static BlobStoreProviders of(BlobStoreProvider... providers) {
        return new BlobStoreProviders(List.of(providers));
    }

    /** The distinct providers, by primary type. */
    public List<BlobStoreProvider> providers() {
        Map<String, BlobStoreProvider> distinct = new LinkedHashMap<>();
        byType.values().forEach(p -> distinct.putIfAbsent(p.type(), p));
        return new ArrayList<>(new TreeMap<>(distinct).values());
    }

    /** Every type and alias that can be opened. */
    public List<String> types() {
        return new ArrayList<>(byType.keySet());
    }

    public Optional<BlobStoreProvider> find(String type) {
        return Optional.ofNullable(byType.get(type.toLowerCase(Locale.ROOT)));
    }

    /**
     * The provider of {@code type}.
     *
     * @throws StorageException {@code CONFIG} listing the available types and naming the missing module
     */
    public BlobStoreProvider require(String type) {
        return find(type).orElseThrow(() -> {
            String module = MODULE_OF_TYPE.get(type.toLowerCase(Locale.ROOT));
            String hint = module == null
                    ? "it is not a backend type Stowage knows"
                    : "add the module " + module + " to the classpath";
            return StorageException.config("unknown backend type '" + type + "': " + hint
                    + " (available: " + String.join(", ", types()) + ")");
        });
    }

    /**
     * Opens the backend {@code config} describes behind the one capability check ({@link CapabilityCheck}),
     * with its configured capability overrides ({@code capabilities.*} settings) applied.
     */
    public BlobStore open(BackendConfig config) {
        BlobStore store = require(config.type()).open(config);
        try {
            return CapabilityCheck.of(store, config.section("capabilities"));
        } catch (StorageException e) {
            store.close();
            throw StorageException.config("backend '" + config.name() + "': " + e.reason());
        }
    }
}
