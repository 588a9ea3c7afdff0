package io.stowage.s3;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * S3 storage classes as tiers: HOT = STANDARD, WARM = STANDARD_IA, COLD = GLACIER_IR, ARCHIVE =
 * DEEP_ARCHIVE (every class of {@link S3BlobStoreConfig#STORAGE_CLASSES} is accepted by name). A class
 * change is a server-side copy of the object onto itself; GLACIER and DEEP_ARCHIVE objects must be
 * restored (RestoreObject with days and a retrieval tier) before they can be read or moved.
 */
final class S3Tiering implements Tiered {

    private static final List<String> PRIORITIES = List.of("Expedited", "Standard", "Bulk");
    private static final Pattern ONGOING = Pattern.compile("ongoing-request=\"(true|false)\"");
    private static final Pattern EXPIRY = Pattern.compile("expiry-date=\"([^\"]+)\"");

    private final java.util.function.Supplier<S3Client> s3;
    private final S3BlobStoreConfig config;
    private final S3Errors errors;
    private final S3BlobStore store;

    S3Tiering(java.util.function.Supplier<S3Client> s3, S3BlobStoreConfig config, S3Errors errors, S3BlobStore store) {
        this.s3 = s3;
        this.config = config;
        this.errors = errors;
        this.store = store;
    }

    @Override
    public List<String> storageClasses() {
        return S3BlobStoreConfig.STORAGE_CLASSES;
    }

    @Override
    public String storageClassOf(Tier tier) {
        return S3Tiers.storageClassOf(tier);
    }

    @Override
    public BlobInfo setTier(BlobKey key, Tier tier) {
        return setStorageClass(key, storageClassOf(tier));
    }

    @Override
    public BlobInfo setStorageClass(BlobKey key, String storageClass) {
        String target = storageClass == null ? "" : storageClass.trim().toUpperCase(Locale.ROOT);
        if (!S3BlobStoreConfig.STORAGE_CLASSES.contains(target)) {
            throw StorageException.invalidArgument("unknown S3 storage class '" + storageClass + "' (accepted: "
                    + String.join(", ", S3BlobStoreConfig.STORAGE_CLASSES) + ")");
        }
        BlobInfo current = store.stat(key);
        if (current.storageClass().orElse("STANDARD").equals(target)) {
            return current;
        }
        CopyObjectRequest.Builder req = CopyObjectRequest.builder().sourceBucket(config.bucket()).sourceKey(key.value())
                .destinationBucket(config.bucket()).destinationKey(key.value()).storageClass(target)
                // REPLACE with the same metadata: some servers (s3proxy) refuse a COPY onto itself even
                // when the storage class changes; AWS accepts both.
                .metadataDirective(MetadataDirective.REPLACE).contentType(current.contentType())
                .metadata(S3MetadataCodec.encode(current.metadata(), current.sha256().orElse(null),
                        current.contentType()));
        current.etag().ifPresent(req::copySourceIfMatch);
        config.sse().ifPresent(req::serverSideEncryption);
        config.sseKmsKeyId().ifPresent(req::ssekmsKeyId);
        try {
            s3.get().copyObject(req.build());
        } catch (SdkException e) {
            throw errors.translate(e, "set storage class", key);
        }
        return store.stat(key);
    }

    @Override
    public RestoreStatus restore(BlobKey key, int days, Optional<String> priority) {
        if (days < 1) {
            throw StorageException.invalidArgument("a restore keeps the copy for at least 1 day, was " + days);
        }
        // "high" is the portable name (Azure's, and the CLI's --priority): S3's is Expedited.
        String tier = priority.map(p -> p.trim().equalsIgnoreCase("high") ? "Expedited" : p)
                .map(p -> PRIORITIES.stream().filter(x -> x.equalsIgnoreCase(p.trim())).findFirst()
                .orElseThrow(() -> StorageException.invalidArgument("unknown restore priority '" + p + "' (accepted: "
                        + String.join(", ", PRIORITIES) + ")"))).orElse("Standard");
        try {
            s3.get().restoreObject(r -> r.bucket(config.bucket()).key(key.value()).overrideConfiguration(S3Clients.metadataCall(config))
                    .restoreRequest(q -> q.days(days).glacierJobParameters(g -> g.tier(tier))));
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
            if (code.equals("RestoreAlreadyInProgress")) {
                return new RestoreStatus(RestoreStatus.State.IN_PROGRESS, Optional.empty());
            }
            if (code.equals("InvalidObjectState")) {
                // AWS answers this when the object is not in an archive class: it is readable as it is.
                return new RestoreStatus(RestoreStatus.State.NOT_ARCHIVED, Optional.empty());
            }
            throw errors.translate(e, "restore", key);
        } catch (SdkException e) {
            throw errors.translate(e, "restore", key);
        }
        return restoreStatus(key);
    }

    @Override
    public RestoreStatus restoreStatus(BlobKey key) {
        HeadObjectResponse head;
        try {
            head = s3.get().headObject(h -> h.bucket(config.bucket()).key(key.value()).overrideConfiguration(S3Clients.metadataCall(config)));
        } catch (SdkException e) {
            throw errors.translate(e, "restore status", key);
        }
        return status(head.storageClassAsString(), head.restore());
    }

    /** The restore state from a HEAD's storage class and {@code x-amz-restore} header. */
    static RestoreStatus status(String storageClass, String restoreHeader) {
        if (!S3Tiers.needsRestore(storageClass)) {
            return new RestoreStatus(RestoreStatus.State.NOT_ARCHIVED, Optional.empty());
        }
        if (restoreHeader == null) {
            return new RestoreStatus(RestoreStatus.State.ARCHIVED, Optional.empty());
        }
        Matcher ongoing = ONGOING.matcher(restoreHeader);
        if (ongoing.find() && ongoing.group(1).equals("true")) {
            return new RestoreStatus(RestoreStatus.State.IN_PROGRESS, Optional.empty());
        }
        Matcher expiry = EXPIRY.matcher(restoreHeader);
        Optional<Instant> until = Optional.empty();
        if (expiry.find()) {
            try {
                until = Optional.of(ZonedDateTime.parse(expiry.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (RuntimeException e) {
                until = Optional.empty();
            }
        }
        return new RestoreStatus(RestoreStatus.State.RESTORED, until);
    }
}
