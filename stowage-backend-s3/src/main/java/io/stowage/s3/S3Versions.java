package io.stowage.s3;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.StorageException;
import io.stowage.Versioned;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * S3 bucket versioning as {@link Versioned} (setting {@code versioning: true} enables it on the
 * bucket). Versions are listed with ListObjectVersions, read and restored by version id; restoring
 * copies the old version over the key, so the replaced one stays a version. Delete markers are not
 * versions of content and are not listed.
 */
final class S3Versions implements Versioned {

    private final java.util.function.Supplier<S3Client> s3;
    private final S3BlobStoreConfig config;
    private final S3Errors errors;
    private final S3BlobStore store;

    S3Versions(java.util.function.Supplier<S3Client> s3, S3BlobStoreConfig config, S3Errors errors, S3BlobStore store) {
        this.s3 = s3;
        this.config = config;
        this.errors = errors;
        this.store = store;
    }

    @Override
    public List<BlobVersion> versions(BlobKey key) {
        List<BlobVersion> out = new ArrayList<>();
        for (ObjectVersion v : listed(key)) {
            out.add(new BlobVersion(store.statVersion(key, v.versionId()), Boolean.TRUE.equals(v.isLatest())));
        }
        return out;
    }

    private List<String> versionIds(BlobKey key) {
        return listed(key).stream().map(ObjectVersion::versionId).toList();
    }

    /** The versions of exactly {@code key}, newest first. */
    private List<ObjectVersion> listed(BlobKey key) {
        store.ensureBucket();
        List<ObjectVersion> found = new ArrayList<>();
        String keyMarker = null;
        String versionMarker = null;
        try {
            while (true) {
                String km = keyMarker;
                String vm = versionMarker;
                ListObjectVersionsResponse r = s3.get().listObjectVersions(l -> l.bucket(config.bucket()).overrideConfiguration(S3Clients.metadataCall(config)).prefix(key.value())
                        .keyMarker(km).versionIdMarker(vm));
                r.versions().stream().filter(v -> v.key().equals(key.value())).forEach(found::add);
                if (!Boolean.TRUE.equals(r.isTruncated()) || r.nextKeyMarker() == null
                        || !r.nextKeyMarker().equals(key.value()) && r.nextKeyMarker().compareTo(key.value()) > 0) {
                    break;
                }
                keyMarker = r.nextKeyMarker();
                versionMarker = r.nextVersionIdMarker();
            }
        } catch (SdkException e) {
            throw errors.translate(e, "list versions", key);
        }
        // S3 lists the versions of a key newest first; sort again in case a server does not.
        found.sort((a, b) -> b.lastModified().compareTo(a.lastModified()));
        return found;
    }

    @Override
    public BlobRead getVersion(BlobKey key, String versionId, GetOptions options) {
        if (versionIds(key).stream().noneMatch(versionId::equals)) {
            // One listing more per version read: S3Mock still serves a version after deleting it.
            throw notFoundForBadId(StorageException.notFound(config.name(), key), key, versionId);
        }
        BlobRead read;
        try {
            read = store.get(key, options, versionId);
        } catch (StorageException e) {
            throw notFoundForBadId(e, key, versionId);
        }
        if (!read.info().versionId().equals(java.util.Optional.of(versionId))) {
            // S3 names the version it served; a server that does not know the version may serve another
            // (S3Mock serves the current object for a deleted version id).
            read.close();
            throw notFoundForBadId(StorageException.notFound(config.name(), key), key, versionId);
        }
        return read;
    }

    @Override
    public BlobInfo restore(BlobKey key, String versionId) {
        store.ensureBucket();
        BlobInfo old;
        try {
            old = store.statVersion(key, versionId);
        } catch (StorageException e) {
            throw notFoundForBadId(e, key, versionId);
        }
        // REPLACE with the version's own metadata: some servers (S3Mock) refuse a plain copy of an
        // older version onto its key as "copying an object to itself"; AWS accepts both.
        try {
            s3.get().copyObject(c -> c.sourceBucket(config.bucket()).sourceKey(key.value()).sourceVersionId(versionId)
                    .destinationBucket(config.bucket()).destinationKey(key.value())
                    .metadataDirective(software.amazon.awssdk.services.s3.model.MetadataDirective.REPLACE)
                    .contentType(old.contentType())
                    .metadata(S3MetadataCodec.encode(old.metadata(), old.sha256().orElse(null), old.contentType()))
                    .serverSideEncryption(config.sse().orElse(null)).ssekmsKeyId(config.sseKmsKeyId().orElse(null)));
        } catch (SdkException e) {
            throw notFoundForBadId(errors.translate(e, "restore version", key), key, versionId);
        }
        BlobInfo now = store.stat(key);
        if (old.sha256().isPresent() && !old.sha256().equals(now.sha256())) {
            // The server copied the current object instead of the version (S3Mock ignores the source
            // version id): bring the version back through this process instead.
            try (BlobRead read = store.get(key, GetOptions.defaults(), versionId)) {
                return store.put(key, io.stowage.BlobContent.of(read.stream(), old.size()),
                        io.stowage.PutOptions.builder().contentType(old.contentType()).metadata(old.metadata()).build());
            }
        }
        return now;
    }

    @Override
    public boolean deleteVersion(BlobKey key, String versionId) {
        // Presence by listing: a HEAD of a deleted version id is not answered consistently by all servers.
        if (versionIds(key).stream().noneMatch(versionId::equals)) {
            return false;
        }
        try {
            s3.get().deleteObject(d -> d.bucket(config.bucket()).key(key.value()).versionId(versionId)
                    .overrideConfiguration(S3Clients.metadataCall(config)));
        } catch (SdkException e) {
            throw errors.translate(e, "delete version", key);
        }
        return true;
    }

    /** S3 answers a malformed version id with 400 InvalidArgument; to a caller it is a version that is not there. */
    private StorageException notFoundForBadId(StorageException e, BlobKey key, String versionId) {
        if (e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.INVALID_ARGUMENT) {
            return StorageException.builder(ErrorKind.NOT_FOUND).backend(config.name()).key(key.value()).cause(e)
                    .message("no version '" + versionId + "' of '" + key + "' in backend '" + config.name() + "'").build();
        }
        return e;
    }
}
