package io.stowage.config;

import java.util.List;
import java.util.Set;

/**
 * The environment names configuration itself reads (DESIGN §6): the primary and its specification
 * aliases, Stowage's own {@code STOWAGE_*} routing names and the service settings passed through.
 * Backend names ({@code *_BUCKET_NAME} and the like) are declared by the providers, section names by
 * the {@link SettingsSection}s. Within one source, earlier names win over later ones for the same setting.
 */
final class EnvNames {

    static final String PRIMARY_BACKEND = "PRIMARY_BACKEND";
    static final String STOWAGE_HOME = "STOWAGE_HOME";
    static final String STOWAGE_CONFIG = "STOWAGE_CONFIG";
    static final String STOWAGE_FALLBACK = "STOWAGE_FALLBACK";
    static final String STOWAGE_FALLBACK_ON = "STOWAGE_FALLBACK_ON";
    static final String STOWAGE_MIRROR = "STOWAGE_MIRROR";
    static final String STOWAGE_MIRROR_MODE = "STOWAGE_MIRROR_MODE";
    static final String STOWAGE_HEALTH_INTERVAL = "STOWAGE_HEALTH_INTERVAL";

    /**
     * Names of the primary backend, strongest first. The specifications' aliases take a type name of any
     * backend ({@code local}, or an alias a provider declares); {@code PRIMARY_BACKEND} may also name a
     * backend of {@code stowage.yaml}.
     */
    static final List<String> PRIMARY_NAMES = List.of(PRIMARY_BACKEND, "STORAGE_TYPE", "BHIV_STORAGE_BACKEND");

    /**
     * The specifications' own names of the primary (004, 000): a primary they chose falls back to local storage
     * when its configuration fails, as those services promised (decision 0037). The providers' primary switches
     * ({@code USE_S3_STORAGE}, 001) count as such names too.
     */
    static final Set<String> SPEC_PRIMARY_NAMES = Set.of("STORAGE_TYPE", "BHIV_STORAGE_BACKEND");

    /** Stowage's routing names and the setting each sets. */
    static final List<List<String>> ROUTING = List.of(List.of(STOWAGE_HOME, "home"), List.of(STOWAGE_CONFIG, "config"),
            List.of(STOWAGE_FALLBACK, "fallback"), List.of(STOWAGE_FALLBACK_ON, "fallback_on"),
            List.of(STOWAGE_MIRROR, "mirror"),
            List.of(STOWAGE_MIRROR_MODE, "mirror_mode"), List.of(STOWAGE_HEALTH_INTERVAL, "health_interval"));

    /** Consumed by routing, so not passed through as service settings. */
    static final Set<String> CONSUMED = Set.of(STOWAGE_HOME, STOWAGE_CONFIG, STOWAGE_FALLBACK, STOWAGE_FALLBACK_ON,
            STOWAGE_MIRROR, STOWAGE_MIRROR_MODE, STOWAGE_HEALTH_INTERVAL);

    /** Service settings passed through as they are, besides every {@code STOWAGE_*} name. */
    static final Set<String> PASS_THROUGH = Set.of("LOG_LEVEL", "STORAGE_DEBUG", "ENABLE_IMAGE_PROCESSING",
            "MAX_IMAGE_SIZE_MB", "IMAGE_THUMBNAIL_SIZE", "SUPPORTED_IMAGE_TYPES", "IMAGE_STORAGE_PATH");

    private EnvNames() {
    }

    /** Whether configuration reads {@code name} whatever is installed. */
    static boolean isCoreName(String name) {
        return PRIMARY_NAMES.contains(name) || name.startsWith("STOWAGE_") || PASS_THROUGH.contains(name);
    }

    /** Whether {@code name} is passed through as a service setting ({@link StowageConfig#setting}). */
    static boolean isPassThrough(String name) {
        return PASS_THROUGH.contains(name) || (name.startsWith("STOWAGE_") && !CONSUMED.contains(name));
    }
}
