package io.stowage.layer;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.PartUploads;
import io.stowage.PutOptions;
import java.util.List;
import java.util.Optional;

/**
 * A backend's {@link PartUploads} seen through one layer ({@link LayeredFeatures}): each call is one call of
 * its own {@link Operation}, bounded, guarded, logged and counted like a put; the retry layer sends a part
 * once ({@link Operation#PUT_PART}).
 */
final class LayeredPartUploads implements PartUploads {

    private final PartUploads parts;
    private final LayeredFeatures.Around around;

    LayeredPartUploads(PartUploads parts, LayeredFeatures.Around around) {
        this.parts = parts;
        this.around = around;
    }

    @Override
    public long minPartSize() {
        return parts.minPartSize();
    }

    @Override
    public int maxParts() {
        return parts.maxParts();
    }

    @Override
    public Upload begin(BlobKey key, PutOptions options) {
        return around.call(Operation.BEGIN_UPLOAD, key, () -> parts.begin(key, options));
    }

    @Override
    public Part putPart(Upload upload, int number, BlobContent content) {
        return around.call(Operation.PUT_PART, upload.key(), () -> parts.putPart(upload, number, content));
    }

    @Override
    public Part putPartBuffered(Upload upload, int number, BlobContent content) {
        return around.call(Operation.PUT_PART, upload.key(), () -> parts.putPartBuffered(upload, number, content));
    }

    @Override
    public boolean buffersParts() {
        return parts.buffersParts();
    }

    @Override
    public void sync(Upload upload) {
        around.call(Operation.SYNC_UPLOAD, upload.key(), () -> {
            parts.sync(upload);
            return null;
        });
    }

    @Override
    public BlobInfo complete(Upload upload, List<Part> list, Optional<String> sha256) {
        return around.call(Operation.COMPLETE_UPLOAD, upload.key(), () -> parts.complete(upload, list, sha256));
    }

    @Override
    public void abort(Upload upload) {
        around.call(Operation.ABORT_UPLOAD, upload.key(), () -> {
            parts.abort(upload);
            return null;
        });
    }
}
