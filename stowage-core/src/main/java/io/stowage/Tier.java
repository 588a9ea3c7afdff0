package io.stowage;

import java.util.Locale;

/**
 * Portable storage tiers. Each backend maps them to its own classes (S3 storage classes, Azure access
 * tiers, GCS storage classes); a backend without tiers keeps everything {@link #HOT}.
 */
public enum Tier {
    HOT, WARM, COLD, ARCHIVE;

    /** Parses a tier name, case-insensitively. */
    public static Tier parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw StorageException.invalidArgument("unknown tier '" + name + "' (expected HOT, WARM, COLD or ARCHIVE)");
        }
    }
}
