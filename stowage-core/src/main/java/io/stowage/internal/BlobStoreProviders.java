package io.stowage.internal;

import io.stowage.BlobStore;
import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
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
     * The canonical type for a type name or alias, lower-cased: an installed provider's type for its
     * aliases, else the type a known alias stands for (see {@code known-types.txt}).
     */
    public String canonicalType(String type) {
        String t = type.trim().toLowerCase(Locale.ROOT);
        BlobStoreProvider p = byType.get(t);
        if (p != null) {
            return p.type();
        }
        KnownTypes.Entry known = KnownTypes.ENTRIES.get(t);
        return known != null && known.aliasOf() != null ? known.aliasOf() : t;
    }

    /** Whether {@code name} is a type or alias installed here or known by name. */
    public boolean isKnownType(String name) {
        String t = name.trim().toLowerCase(Locale.ROOT);
        return byType.containsKey(t) || KnownTypes.ENTRIES.containsKey(t);
    }

    /** Whether {@code name} is an alias (not a type) of an installed or known type. */
    public boolean isAlias(String name) {
        String t = name.trim().toLowerCase(Locale.ROOT);
        return !canonicalType(t).equals(t);
    }

    /**
     * The types Stowage knows by name, in the order of {@code known-types.txt}, then installed types the
     * file does not list: what a problem offers for a backend without a type.
     */
    public List<String> knownTypes() {
        List<String> out = new ArrayList<>(KnownTypes.types());
        providers().forEach(p -> {
            if (!out.contains(p.type())) {
                out.add(p.type());
            }
        });
        return out;
    }

    /**
     * The provider of {@code type}.
     *
     * @throws StorageException {@code CONFIG} listing the available types and naming the missing module
     */
    public BlobStoreProvider require(String type) {
        return find(type).orElseThrow(() -> {
            KnownTypes.Entry known = KnownTypes.ENTRIES.get(type.toLowerCase(Locale.ROOT));
            String module = known == null ? null : known.module();
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
