package io.stowage.memory;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.PartUploads;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.io.MeasuringInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Part uploads of a {@link MemoryBlobStore} (decision 0058): parts held in memory until the completion puts
 * them, in the order listed, as one object. For tests of what is layered over a store, like the store itself.
 */
final class MemoryPartUploads implements PartUploads {

    private static final int MAX_PARTS = 10_000;

    private final MemoryBlobStore store;
    private final Map<String, Pending> uploads = new ConcurrentHashMap<>();

    private record Pending(BlobKey key, PutOptions options, Map<Integer, byte[]> parts) {
    }

    MemoryPartUploads(MemoryBlobStore store) {
        this.store = store;
    }

    @Override
    public long minPartSize() {
        return 1;
    }

    @Override
    public int maxParts() {
        return MAX_PARTS;
    }

    @Override
    public Upload begin(BlobKey key, PutOptions options) {
        PartUploads.checkOptions(store.name(), options);
        String id = UUID.randomUUID().toString();
        uploads.put(id, new Pending(key, options, new ConcurrentSkipListMap<>()));
        return new Upload(key, id);
    }

    @Override
    public Part putPart(Upload upload, int number, BlobContent content) {
        PartUploads.checkNumber(number, MAX_PARTS);
        Pending pending = pending(upload);
        try (InputStream raw = content.open();
                MeasuringInputStream in = new MeasuringInputStream(raw, content.length(), Long.MAX_VALUE, store.name(),
                        upload.key())) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            String sha = in.finish(Optional.empty());
            pending.parts().put(number, buf.toByteArray());
            return new Part(number, buf.size(), sha);
        } catch (IOException e) {
            throw StorageException.io(store.name(), "put part", upload.key(), e);
        }
    }

    @Override
    public BlobInfo complete(Upload upload, List<Part> parts, Optional<String> sha256) {
        PartUploads.checkParts(parts, minPartSize(), MAX_PARTS);
        Pending pending = pending(upload);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Part p : parts) {
            byte[] bytes = pending.parts().get(p.number());
            if (bytes == null || bytes.length != p.size() || !io.stowage.spi.io.Sha256.of(bytes).equals(p.etag())) {
                throw StorageException.invalidArgument("part " + p.number() + " of the upload of '" + upload.key()
                        + "' is not the one stored");
            }
            all.writeBytes(bytes);
        }
        BlobInfo info = store.put(upload.key(), BlobContent.of(all.toByteArray()), pending.options());
        uploads.remove(upload.id());
        return info;
    }

    @Override
    public void abort(Upload upload) {
        uploads.remove(upload.id());
    }

    private Pending pending(Upload upload) {
        Pending p = uploads.get(upload.id());
        if (p == null || !p.key().equals(upload.key())) {
            throw StorageException.notFound(store.name(), "no part upload '" + upload.id() + "' for '" + upload.key() + "'");
        }
        return p;
    }
}
