package io.stowage.layer;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.MetadataEditor;
import java.util.Map;

/**
 * A backend's {@link MetadataEditor} seen through one layer ({@link LayeredFeatures}): both edits are the
 * operation {@code set_metadata}, a metadata call.
 */
final class LayeredMetadataEditor implements MetadataEditor {

    private final MetadataEditor editor;
    private final LayeredFeatures.Around around;

    LayeredMetadataEditor(MetadataEditor editor, LayeredFeatures.Around around) {
        this.editor = editor;
        this.around = around;
    }

    @Override
    public BlobInfo setMetadata(BlobKey key, Map<String, String> metadata) {
        return around.call(Operation.SET_METADATA, key, () -> editor.setMetadata(key, metadata));
    }

    @Override
    public BlobInfo setContentType(BlobKey key, String contentType) {
        return around.call(Operation.SET_METADATA, key, () -> editor.setContentType(key, contentType));
    }
}
