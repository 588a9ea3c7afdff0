package io.stowage.service;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The service's limits as the configuration says now (decision 0066): the upload size, the default quotas, the
 * types and images accepted, and the links' lifetimes. Every request reads them here, so a configuration reload
 * ({@link #apply}) changes them for the requests that start after it, without a restart; a request under way keeps
 * what it read. Thread-safe.
 */
public final class LiveLimits {

    /** The settings a reload applies at once (spec 004's real-time settings): a restart is not needed for them. */
    public static final Set<String> SETTINGS = Set.of("limits.max_upload_size", "limits.default_quota_bytes",
            "limits.default_quota_files", "limits.allowed_types", "limits.max_image_size", "limits.image_types",
            "limits.link_ttl", "limits.max_link_ttl", "limits.link_mode");

    private record Current(ServiceSettings settings, ContentTypes types) {
    }

    private volatile Current current;

    LiveLimits(ServiceSettings settings) {
        apply(settings);
    }

    /**
     * Makes the limits of {@code settings} the ones new requests get; its other sections are not read here.
     *
     * @param settings checked already ({@link ServiceSettings#from} refuses an invalid configuration whole)
     */
    public void apply(ServiceSettings settings) {
        current = new Current(settings, new ContentTypes(settings));
    }

    /** The largest version an owner without a limit of its own may save, in bytes. */
    public long maxUploadSize() {
        return current.settings().maxUploadSize();
    }

    OptionalLong defaultQuotaBytes() {
        return current.settings().defaultQuotaBytes();
    }

    OptionalLong defaultQuotaFiles() {
        return current.settings().defaultQuotaFiles();
    }

    /** The type checks: allowed types, image types and the largest image. */
    ContentTypes types() {
        return current.types();
    }

    Duration linkTtl() {
        return current.settings().linkTtl();
    }

    Duration maxLinkTtl() {
        return current.settings().maxLinkTtl();
    }

    boolean redirectLinks() {
        return current.settings().redirectLinks();
    }
}
