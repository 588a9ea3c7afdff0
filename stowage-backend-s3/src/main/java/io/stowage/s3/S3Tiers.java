package io.stowage.s3;

import io.stowage.Tier;
import java.util.Locale;

/** How portable tiers map to S3 storage classes and back. */
final class S3Tiers {

    private S3Tiers() {
    }

    /** The tier of an object in {@code storageClass} (S3 reports no class for STANDARD objects). */
    static Tier tierOf(String storageClass) {
        if (storageClass == null) {
            return Tier.HOT;
        }
        return switch (storageClass.toUpperCase(Locale.ROOT)) {
            case "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING" -> Tier.WARM;
            case "GLACIER_IR" -> Tier.COLD;
            case "GLACIER", "DEEP_ARCHIVE" -> Tier.ARCHIVE;
            default -> Tier.HOT;
        };
    }

    /** The storage class a tier is written in. */
    static String storageClassOf(Tier tier) {
        return switch (tier) {
            case HOT -> "STANDARD";
            case WARM -> "STANDARD_IA";
            case COLD -> "GLACIER_IR";
            case ARCHIVE -> "DEEP_ARCHIVE";
        };
    }

    /** Whether objects of this class must be restored before they can be read. */
    static boolean needsRestore(String storageClass) {
        return storageClass != null && (storageClass.equals("GLACIER") || storageClass.equals("DEEP_ARCHIVE"));
    }
}
