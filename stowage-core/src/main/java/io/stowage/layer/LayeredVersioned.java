package io.stowage.layer;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.GetOptions;
import io.stowage.Versioned;
import java.util.List;

/**
 * A backend's {@link Versioned} seen through one layer ({@link LayeredFeatures}): listing versions,
 * restoring and deleting one go through the layer as metadata calls; reading one goes through it as a
 * get does (the timeout layer bounds it until the read is open, then every read of its stream).
 */
final class LayeredVersioned implements Versioned {

    private final Versioned versioned;
    private final LayeredFeatures.Around around;
    private final LayeredFeatures.Reads reads;

    LayeredVersioned(Versioned versioned, LayeredFeatures.Around around, LayeredFeatures.Reads reads) {
        this.versioned = versioned;
        this.around = around;
        this.reads = reads;
    }

    @Override
    public List<BlobVersion> versions(BlobKey key) {
        return around.call(Operation.LIST_VERSIONS, key, () -> versioned.versions(key));
    }

    @Override
    public BlobRead getVersion(BlobKey key, String versionId, GetOptions options) {
        return reads.open(Operation.GET_VERSION, key, () -> versioned.getVersion(key, versionId, options));
    }

    @Override
    public BlobInfo restore(BlobKey key, String versionId) {
        return around.call(Operation.RESTORE_VERSION, key, () -> versioned.restore(key, versionId));
    }

    @Override
    public boolean deleteVersion(BlobKey key, String versionId) {
        return around.call(Operation.DELETE_VERSION, key, () -> versioned.deleteVersion(key, versionId));
    }
}
