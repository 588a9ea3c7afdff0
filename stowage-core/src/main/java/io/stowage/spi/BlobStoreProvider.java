package io.stowage.spi;

import io.stowage.BlobStore;
import java.util.Map;
import java.util.Set;

/**
 * Creates backends of one type. Each backend module registers its provider through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.stowage.spi.BlobStoreProvider}), so
 * adding a module to the classpath is all it takes to make its type available.
 */
public interface BlobStoreProvider {

    /** The type name used in configuration ({@code local}, {@code memory}, {@code aws_s3}, ...). */
    String type();

    /** Other names for the same type ({@code s3} for {@code aws_s3}, say). */
    default Set<String> aliases() {
        return Set.of();
    }

    /** One line for {@code stowage backends}. */
    String description();

    /** The settings this type understands, for validation and documentation. */
    Set<String> settingNames();

    /**
     * Settings with which {@link #open} succeeds without touching the network, as an example for
     * documentation: {@code stowage capabilities} and the backends page open every type with them
     * (in a scratch home directory) to print what it can do. Values are placeholders, never real
     * secrets. Empty when the type needs no settings.
     */
    default Map<String, String> exampleSettings() {
        return Map.of();
    }

    /**
     * Opens a backend. Configuration problems fail here with {@link io.stowage.ErrorKind#CONFIG},
     * naming the setting; an unreachable service does not (health reports it).
     */
    BlobStore open(BackendConfig config);
}
