package io.stowage.testkit;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.Capabilities;
import io.stowage.ForwardingBlobStore;
import io.stowage.GetOptions;
import io.stowage.PutOptions;
import io.stowage.SoftDelete;
import io.stowage.StorageException;
import io.stowage.Versioned;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small versioning, soft-deleting store over another one, for the testkit's own tests: it lets the
 * testkit run the "feature present" branches of {@link FeatureTests} before a real backend does, and the
 * layer tests put versions behind the layers. Not a production store: it keeps old content in memory and
 * serializes writes.
 */
public final class VersioningMemoryStore extends ForwardingBlobStore implements Versioned, SoftDelete {

    private record Kept(byte[] data, BlobInfo info, Instant deletedAt) {
    }

    private final Map<BlobKey, Deque<Kept>> history = new HashMap<>();
    private final Map<BlobKey, Deque<Kept>> trash = new HashMap<>();

    public VersioningMemoryStore(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public Capabilities capabilities() {
        Map<String, Object> m = super.capabilities().toMap();
        Capabilities.Builder b = Capabilities.builder();
        b.rangeRead((Boolean) m.get("range_read")).conditionalPut((Boolean) m.get("conditional_put"))
                .unknownLengthPut((Boolean) m.get("unknown_length_put")).serverSideCopy((Boolean) m.get("server_side_copy"))
                .metadataUpdate((Boolean) m.get("metadata_update")).listConsistent(true)
                .maxObjectSize((Long) m.get("max_object_size")).versioning(true).softDelete(true);
        return b.build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> feature(Class<T> type) {
        if (type == Versioned.class || type == SoftDelete.class) {
            return Optional.of((T) this);
        }
        // A completed part upload would go past the versions this store keeps.
        return type == io.stowage.PartUploads.class ? Optional.empty() : super.feature(type);
    }

    private Optional<Kept> current(BlobKey key) {
        try (BlobRead r = super.get(key, GetOptions.defaults())) {
            return Optional.of(new Kept(r.readAllBytes(), r.info(), null));
        } catch (StorageException e) {
            if (e.kind() == io.stowage.ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public synchronized BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        Optional<Kept> before = current(key);
        BlobInfo info = super.put(key, content, options);
        before.ifPresent(k -> history.computeIfAbsent(key, x -> new ArrayDeque<>()).push(k));
        return info;
    }

    @Override
    public synchronized boolean delete(BlobKey key) {
        Optional<Kept> before = current(key);
        if (before.isEmpty()) {
            return false;
        }
        super.delete(key);
        trash.computeIfAbsent(key, x -> new ArrayDeque<>()).push(new Kept(before.get().data(), before.get().info(), Instant.now()));
        return true;
    }

    @Override
    public synchronized BlobInfo copy(BlobKey source, BlobKey target) {
        Optional<Kept> before = current(target);
        BlobInfo info = super.copy(source, target);
        before.ifPresent(k -> history.computeIfAbsent(target, x -> new ArrayDeque<>()).push(k));
        return info;
    }

    // ---- Versioned ----

    @Override
    public synchronized List<BlobVersion> versions(BlobKey key) {
        List<BlobVersion> out = new ArrayList<>();
        current(key).ifPresent(k -> out.add(new BlobVersion(k.info(), true)));
        for (Kept k : history.getOrDefault(key, new ArrayDeque<>())) {
            out.add(new BlobVersion(k.info(), false));
        }
        return out;
    }

    private Kept version(BlobKey key, String versionId) {
        Optional<Kept> cur = current(key);
        if (cur.isPresent() && cur.get().info().versionId().orElseThrow().equals(versionId)) {
            return cur.get();
        }
        for (Kept k : history.getOrDefault(key, new ArrayDeque<>())) {
            if (k.info().versionId().orElseThrow().equals(versionId)) {
                return k;
            }
        }
        throw StorageException.notFound(name(), "no version '" + versionId + "' of '" + key + "'");
    }

    @Override
    public synchronized BlobRead getVersion(BlobKey key, String versionId, GetOptions options) {
        Kept k = version(key, versionId);
        return new BlobRead(k.info(), new ByteArrayInputStream(k.data()));
    }

    @Override
    public synchronized BlobInfo restore(BlobKey key, String versionId) {
        Kept k = version(key, versionId);
        return put(key, BlobContent.of(k.data()),
                PutOptions.builder().contentType(k.info().contentType()).metadata(k.info().metadata()).build());
    }

    @Override
    public synchronized boolean deleteVersion(BlobKey key, String versionId) {
        Deque<Kept> h = history.getOrDefault(key, new ArrayDeque<>());
        return h.removeIf(k -> k.info().versionId().orElseThrow().equals(versionId));
    }

    // ---- SoftDelete ----

    @Override
    public synchronized List<DeletedBlob> trash(String prefix) {
        List<DeletedBlob> out = new ArrayList<>();
        trash.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).sorted(Map.Entry.comparingByKey())
                .forEach(e -> e.getValue().forEach(k -> out.add(new DeletedBlob(k.info(), k.deletedAt()))));
        return out;
    }

    @Override
    public synchronized BlobInfo restore(BlobKey key) {
        Deque<Kept> deleted = trash.get(key);
        if (deleted == null || deleted.isEmpty()) {
            throw StorageException.notFound(name(), "no deleted '" + key + "' in the trash");
        }
        if (current(key).isPresent()) {
            throw StorageException.alreadyExists(name(), key);
        }
        Kept k = deleted.pop();
        if (deleted.isEmpty()) {
            trash.remove(key);
        }
        return super.put(key, BlobContent.of(k.data()),
                PutOptions.builder().contentType(k.info().contentType()).metadata(k.info().metadata()).build());
    }

    @Override
    public synchronized boolean purge(BlobKey key) {
        Deque<Kept> removed = trash.remove(key);
        return removed != null && !removed.isEmpty();
    }

    @Override
    public synchronized int purgeDeletedBefore(Instant cutoff) {
        int n = 0;
        for (Deque<Kept> d : trash.values()) {
            int before = d.size();
            d.removeIf(k -> k.deletedAt().isBefore(cutoff));
            n += before - d.size();
        }
        trash.values().removeIf(Deque::isEmpty);
        return n;
    }
}
