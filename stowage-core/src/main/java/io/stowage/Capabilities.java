package io.stowage;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a backend can do, as data: callers and tests branch on it instead of catching errors.
 * Capabilities describe the service behind the backend, not only the client class, so configuration
 * can turn them off ({@code capabilities: {conditional_put: false}}) for a server that lacks a
 * feature; see {@link #withOverrides}.
 *
 * @param listUtf16Order keys are listed in UTF-16 code-unit order (Azure Blob's own order) instead of
 *     UTF-8 byte order (S3, GCS, local, memory). The two differ only where keys differ first in a
 *     character above U+FFFF against one in U+E000–U+FFFF; it describes the service, so configuration
 *     cannot change it (decision 0009)
 * @param maxObjectSize largest object in bytes, {@link Long#MAX_VALUE} when the backend sets no limit
 */
public record Capabilities(
        boolean rangeRead,
        boolean conditionalPut,
        boolean unknownLengthPut,
        boolean serverSideCopy,
        boolean multipart,
        boolean metadataUpdate,
        boolean versioning,
        boolean softDelete,
        boolean tiers,
        boolean presign,
        boolean lifecycle,
        boolean listConsistent,
        boolean listUtf16Order,
        long maxObjectSize) {

    /** The names used in configuration and tables, in declaration order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("range_read", rangeRead);
        m.put("conditional_put", conditionalPut);
        m.put("unknown_length_put", unknownLengthPut);
        m.put("server_side_copy", serverSideCopy);
        m.put("multipart", multipart);
        m.put("metadata_update", metadataUpdate);
        m.put("versioning", versioning);
        m.put("soft_delete", softDelete);
        m.put("tiers", tiers);
        m.put("presign", presign);
        m.put("lifecycle", lifecycle);
        m.put("list_consistent", listConsistent);
        m.put("list_utf16_order", listUtf16Order);
        m.put("max_object_size", maxObjectSize);
        return m;
    }

    private static Capabilities fromMap(Map<String, Object> m) {
        return new Capabilities(
                (Boolean) m.get("range_read"),
                (Boolean) m.get("conditional_put"),
                (Boolean) m.get("unknown_length_put"),
                (Boolean) m.get("server_side_copy"),
                (Boolean) m.get("multipart"),
                (Boolean) m.get("metadata_update"),
                (Boolean) m.get("versioning"),
                (Boolean) m.get("soft_delete"),
                (Boolean) m.get("tiers"),
                (Boolean) m.get("presign"),
                (Boolean) m.get("lifecycle"),
                (Boolean) m.get("list_consistent"),
                (Boolean) m.get("list_utf16_order"),
                (Long) m.get("max_object_size"));
    }

    /**
     * These capabilities with configured overrides applied. Overrides may only take a capability away
     * (a configuration cannot make a backend do what its code cannot) or lower the size limit.
     *
     * @param overrides names as in {@link #toMap()} to {@code true}/{@code false} (strings accepted) or,
     *     for {@code max_object_size}, a number of bytes
     * @throws StorageException of kind {@link ErrorKind#CONFIG} naming an unknown capability or a bad value
     */
    public Capabilities withOverrides(Map<String, ?> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return this;
        }
        Map<String, Object> m = toMap();
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!m.containsKey(name)) {
                throw StorageException.config("unknown capability '" + e.getKey() + "' (known: "
                        + String.join(", ", new TreeSet<>(m.keySet())) + ")");
            }
            String text = String.valueOf(e.getValue()).trim().toLowerCase(Locale.ROOT);
            if (name.equals("list_utf16_order")) {
                throw StorageException.config("list_utf16_order describes how the service orders keys; it is not a"
                        + " capability that configuration can take away");
            }
            if (name.equals("max_object_size")) {
                long limit;
                try {
                    limit = Long.parseLong(text);
                } catch (NumberFormatException ex) {
                    throw StorageException.config("capability max_object_size must be a number of bytes, was '" + text + "'");
                }
                m.put(name, Math.min(limit, maxObjectSize));
            } else {
                if (!text.equals("true") && !text.equals("false")) {
                    throw StorageException.config("capability " + name + " must be true or false, was '" + text + "'");
                }
                boolean wanted = text.equals("true");
                m.put(name, wanted && (Boolean) m.get(name));
            }
        }
        return fromMap(m);
    }

    /**
     * Whether these capabilities let a store hand out {@code feature} through {@link BlobStore#feature}:
     * the one place a feature is tied to its capability ({@link Versioned} to {@code versioning},
     * {@link SoftDelete} to {@code soft_delete}, {@link MetadataEditor} to {@code metadata_update},
     * {@link Presigner} to {@code presign}, {@link Tiered} to {@code tiers}, {@link Lifecycle} to
     * {@code lifecycle}). A feature type without a capability of its own is always allowed.
     */
    public boolean offers(Class<?> feature) {
        if (feature == Versioned.class) {
            return versioning;
        }
        if (feature == SoftDelete.class) {
            return softDelete;
        }
        if (feature == MetadataEditor.class) {
            return metadataUpdate;
        }
        if (feature == Presigner.class) {
            return presign;
        }
        if (feature == Tiered.class) {
            return tiers;
        }
        if (feature == Lifecycle.class) {
            return lifecycle;
        }
        return true;
    }

    /** Start from nothing supported and no size limit; for backends to build theirs. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder with everything off and no size limit. */
    public static final class Builder {
        private final Map<String, Object> m = new LinkedHashMap<>(
                new Capabilities(false, false, false, false, false, false, false, false, false, false, false, false,
                        false, Long.MAX_VALUE).toMap());

        private Builder set(String name, boolean value) {
            m.put(name, value);
            return this;
        }

        public Builder rangeRead(boolean v) {
            return set("range_read", v);
        }

        public Builder conditionalPut(boolean v) {
            return set("conditional_put", v);
        }

        public Builder unknownLengthPut(boolean v) {
            return set("unknown_length_put", v);
        }

        public Builder serverSideCopy(boolean v) {
            return set("server_side_copy", v);
        }

        public Builder multipart(boolean v) {
            return set("multipart", v);
        }

        public Builder metadataUpdate(boolean v) {
            return set("metadata_update", v);
        }

        public Builder versioning(boolean v) {
            return set("versioning", v);
        }

        public Builder softDelete(boolean v) {
            return set("soft_delete", v);
        }

        public Builder tiers(boolean v) {
            return set("tiers", v);
        }

        public Builder presign(boolean v) {
            return set("presign", v);
        }

        public Builder lifecycle(boolean v) {
            return set("lifecycle", v);
        }

        public Builder listConsistent(boolean v) {
            return set("list_consistent", v);
        }

        public Builder listUtf16Order(boolean v) {
            return set("list_utf16_order", v);
        }

        public Builder maxObjectSize(long v) {
            m.put("max_object_size", v);
            return this;
        }

        public Capabilities build() {
            return fromMap(m);
        }
    }
}
