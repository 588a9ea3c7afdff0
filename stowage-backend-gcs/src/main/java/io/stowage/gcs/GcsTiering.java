package io.stowage.gcs;

import com.google.cloud.storage.Blob;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Storage classes STANDARD, NEARLINE, COLDLINE and ARCHIVE. GCS changes an object's class by rewriting
 * it in place: the rewrite is conditioned on the generation it read (a concurrent writer's object is
 * not replaced) and makes a new generation, so the object's entity tag changes. Every class is online:
 * ARCHIVE objects are read directly (at a retrieval fee), so there is nothing to restore.
 */
final class GcsTiering implements Tiered {

    private final GcsBlobStore store;

    GcsTiering(GcsBlobStore store) {
        this.store = store;
    }

    /** The portable tier of a storage class (null: the bucket's default, taken as STANDARD). */
    static Tier tierOf(String storageClass) {
        if (storageClass == null) {
            return Tier.HOT;
        }
        return switch (storageClass.toUpperCase(Locale.ROOT)) {
            case "NEARLINE" -> Tier.WARM;
            case "COLDLINE" -> Tier.COLD;
            case "ARCHIVE" -> Tier.ARCHIVE;
            default -> Tier.HOT;
        };
    }

    static String classOf(Tier tier) {
        return switch (tier) {
            case HOT -> "STANDARD";
            case WARM -> "NEARLINE";
            case COLD -> "COLDLINE";
            case ARCHIVE -> "ARCHIVE";
        };
    }

    @Override
    public List<String> storageClasses() {
        return GcsBlobStoreConfig.STORAGE_CLASSES;
    }

    @Override
    public String storageClassOf(Tier tier) {
        return classOf(tier);
    }

    @Override
    public BlobInfo setTier(BlobKey key, Tier tier) {
        return setStorageClass(key, storageClassOf(tier));
    }

    @Override
    public BlobInfo setStorageClass(BlobKey key, String storageClass) {
        String wanted = storageClass == null ? "" : storageClass.trim().toUpperCase(Locale.ROOT);
        if (!GcsBlobStoreConfig.STORAGE_CLASSES.contains(wanted)) {
            throw StorageException.invalidArgument("unknown storage class '" + storageClass + "' for backend '"
                    + store.name() + "' (expected one of " + GcsBlobStoreConfig.STORAGE_CLASSES + ")");
        }
        store.ensureBucket();
        Blob current = store.blob(key, "set storage class");
        if (current.getStorageClass() != null && current.getStorageClass().name().equals(wanted)) {
            return store.info(key, current);
        }
        return store.info(key, store.rewrite(current, key, wanted, "set storage class", current.getGeneration()));
    }

    /** Nothing to do: every GCS class is online. Fails with NOT_FOUND for a missing object. */
    @Override
    public RestoreStatus restore(BlobKey key, int days, Optional<String> priority) {
        return restoreStatus(key);
    }

    @Override
    public RestoreStatus restoreStatus(BlobKey key) {
        store.ensureBucket();
        store.blob(key, "restore status");
        return new RestoreStatus(RestoreStatus.State.NOT_ARCHIVED, Optional.empty());
    }
}
