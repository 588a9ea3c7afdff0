package io.stowage.layer;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.SoftDelete;
import java.time.Instant;
import java.util.List;

/**
 * A backend's {@link SoftDelete} seen through one layer ({@link LayeredFeatures}): listing the trash
 * ({@code list_trash}), bringing an object back ({@code undelete}), purging one ({@code purge}) and
 * purging by age ({@code purge_deleted_before}) are each one metadata call.
 */
final class LayeredSoftDelete implements SoftDelete {

    private final SoftDelete trash;
    private final LayeredFeatures.Around around;

    LayeredSoftDelete(SoftDelete trash, LayeredFeatures.Around around) {
        this.trash = trash;
        this.around = around;
    }

    @Override
    public List<DeletedBlob> trash(String prefix) {
        return around.call(Operation.LIST_TRASH, null, () -> trash.trash(prefix));
    }

    @Override
    public BlobInfo restore(BlobKey key) {
        return around.call(Operation.UNDELETE, key, () -> trash.restore(key));
    }

    @Override
    public boolean purge(BlobKey key) {
        return around.call(Operation.PURGE, key, () -> trash.purge(key));
    }

    @Override
    public int purgeDeletedBefore(Instant cutoff) {
        return around.call(Operation.PURGE_DELETED_BEFORE, null, () -> trash.purgeDeletedBefore(cutoff));
    }
}
