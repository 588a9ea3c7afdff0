package io.stowage.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.ArchiveStatus;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.RehydratePriority;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Access tiers Hot, Cool, Cold and Archive, changed in place with Set Blob Tier. Leaving Archive is a
 * rehydration (hours on Azure, with {@code Standard} or {@code High} priority); until it is done the
 * blob reports {@code x-ms-archive-status: rehydrate-pending-to-*} and cannot be read.
 */
final class AzureTiering implements Tiered {

    private final AzureBlobStoreConfig config;
    private final BlobContainerClient container;
    private final AzureErrors errors;
    private final Function<BlobKey, BlobInfo> stat;

    AzureTiering(AzureBlobStoreConfig config, BlobContainerClient container, AzureErrors errors,
            Function<BlobKey, BlobInfo> stat) {
        this.config = config;
        this.container = container;
        this.errors = errors;
        this.stat = stat;
    }

    /** The portable tier of an Azure access tier (null: the account default, Hot). */
    static Tier tierOf(String accessTier) {
        if (accessTier == null) {
            return Tier.HOT;
        }
        return switch (accessTier.toLowerCase(Locale.ROOT)) {
            case "cool" -> Tier.WARM;
            case "cold" -> Tier.COLD;
            case "archive" -> Tier.ARCHIVE;
            default -> Tier.HOT;
        };
    }

    static String accessTierOf(Tier tier) {
        return switch (tier) {
            case HOT -> "Hot";
            case WARM -> "Cool";
            case COLD -> "Cold";
            case ARCHIVE -> "Archive";
        };
    }

    @Override
    public List<String> storageClasses() {
        return AzureBlobStoreConfig.TIERS;
    }

    @Override
    public String storageClassOf(Tier tier) {
        return accessTierOf(tier);
    }

    @Override
    public BlobInfo setTier(BlobKey key, Tier tier) {
        return setStorageClass(key, accessTierOf(tier));
    }

    @Override
    public BlobInfo setStorageClass(BlobKey key, String storageClass) {
        String tier = AzureBlobStoreConfig.TIERS.stream().filter(t -> t.equalsIgnoreCase(storageClass)).findFirst()
                .orElseThrow(() -> StorageException.invalidArgument("unknown access tier '" + storageClass
                        + "' for backend '" + config.name() + "' (expected one of " + AzureBlobStoreConfig.TIERS + ")"));
        BlobInfo current = stat.apply(key);
        if (current.storageClass().orElse("").equalsIgnoreCase("Archive") && !tier.equals("Archive")) {
            throw StorageException.builder(io.stowage.ErrorKind.PRECONDITION_FAILED).backend(config.name())
                    .operation("set tier").key(key.value()).message("'" + key + "' is archived: leaving Archive is a"
                            + " rehydration: 'stowage restore' (Tiered.restore in the library)").build();
        }
        try {
            container.getBlobClient(key.value()).setAccessTierWithResponse(AccessTier.fromString(tier), null, null, null,
                    Context.NONE);
        } catch (RuntimeException e) {
            throw errors.translate(e, "set tier", key);
        }
        return stat.apply(key);
    }

    /** Rehydrates to Hot; {@code days} does not apply (a rehydrated blob stays in its new tier). */
    @Override
    public RestoreStatus restore(BlobKey key, int days, Optional<String> priority) {
        RehydratePriority p = priority.map(s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "high" -> RehydratePriority.HIGH;
            case "standard" -> RehydratePriority.STANDARD;
            default -> throw StorageException.invalidArgument("rehydrate priority must be High or Standard, was '" + s
                    + "'");
        }).orElse(RehydratePriority.STANDARD);
        RestoreStatus now = restoreStatus(key);
        if (now.state() != RestoreStatus.State.ARCHIVED) {
            return now;
        }
        try {
            container.getBlobClient(key.value()).setAccessTierWithResponse(AccessTier.HOT, p, null, null, Context.NONE);
        } catch (RuntimeException e) {
            throw errors.translate(e, "rehydrate", key);
        }
        return restoreStatus(key);
    }

    @Override
    public RestoreStatus restoreStatus(BlobKey key) {
        BlobProperties p;
        try {
            p = container.getBlobClient(key.value()).getProperties();
        } catch (RuntimeException e) {
            throw errors.translate(e, "restore status", key);
        }
        return statusOf(p.getAccessTier(), p.getArchiveStatus());
    }

    static RestoreStatus statusOf(AccessTier tier, ArchiveStatus archive) {
        if (archive != null && archive.toString().startsWith("rehydrate-pending")) {
            return new RestoreStatus(RestoreStatus.State.IN_PROGRESS, Optional.empty());
        }
        if (AccessTier.ARCHIVE.equals(tier)) {
            return new RestoreStatus(RestoreStatus.State.ARCHIVED, Optional.empty());
        }
        return new RestoreStatus(RestoreStatus.State.NOT_ARCHIVED, Optional.empty());
    }
}
