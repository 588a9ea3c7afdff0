package io.stowage.spi;

import io.stowage.Capabilities;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The optional features a backend has, by type, for its {@link io.stowage.BlobStore#feature}: a backend
 * declares each one once and hands out what its {@link Capabilities} allow ({@link Capabilities#offers},
 * the one place a feature is tied to its capability). Capabilities that configuration takes away are
 * refused in front of the backend by {@link io.stowage.internal.CapabilityCheck}, with the same rule.
 */
public final class Features {

    private final Map<Class<?>, Object> byType;

    private Features(Map<Class<?>, Object> byType) {
        this.byType = Map.copyOf(byType);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The feature of {@code type} when the backend has it and {@code capabilities} allow it. */
    public <T> Optional<T> get(Class<T> type, Capabilities capabilities) {
        Object feature = byType.get(type);
        if (feature == null || !capabilities.offers(type)) {
            return Optional.empty();
        }
        return Optional.of(type.cast(feature));
    }

    /** Collects a backend's features. */
    public static final class Builder {
        private final Map<Class<?>, Object> byType = new LinkedHashMap<>();

        private Builder() {
        }

        /** The backend has {@code feature} as its {@code type}. */
        public <T> Builder add(Class<T> type, T feature) {
            byType.put(type, java.util.Objects.requireNonNull(feature, "feature"));
            return this;
        }

        public Features build() {
            return new Features(byType);
        }
    }
}
