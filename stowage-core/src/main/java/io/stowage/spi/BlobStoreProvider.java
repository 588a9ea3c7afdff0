package io.stowage.spi;

import io.stowage.BlobStore;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates backends of one type. Each backend module registers its provider through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.stowage.spi.BlobStoreProvider}), so
 * adding a module to the classpath is all it takes to make its type available.
 *
 * <p>A provider owns its configuration: besides its type and aliases it declares its {@link #settings()}
 * (keys, environment names, defaults, required and secret ones, kinds), the environment switches that
 * choose it ({@link #primarySwitches()}) and the {@link #module()} that ships it. Configuration applies
 * these declarations and knows no backend by itself.
 */
public interface BlobStoreProvider {

    /** The type name used in configuration ({@code local}, {@code memory}, {@code aws_s3}, ...). */
    String type();

    /** Other names for the same type ({@code s3} for {@code aws_s3}, say). */
    default Set<String> aliases() {
        return Set.of();
    }

    /** The module that ships this provider ({@code stowage-backend-s3}, say), for messages and listings. */
    default String module() {
        return "";
    }

    /**
     * The settings configuration applies for a backend of this type: the environment names that set each
     * (a backend configured through the environment is named after its type), defaults, required and
     * secret settings and value kinds. Keys not declared here are passed to {@link #open} unchecked.
     */
    default List<SettingSpec> settings() {
        return List.of();
    }

    /** Environment names that, set to true, make this type the primary (a specification's alias). */
    default List<PrimarySwitch> primarySwitches() {
        return List.of();
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
