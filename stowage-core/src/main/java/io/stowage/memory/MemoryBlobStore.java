package io.stowage.memory;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ByteRange;
import io.stowage.Capabilities;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
import io.stowage.ListRequest;
import io.stowage.Metadata;
import io.stowage.MetadataEditor;
import io.stowage.Page;
import io.stowage.PartUploads;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.ListPager;
import io.stowage.spi.io.MeasuringInputStream;
import io.stowage.spi.io.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread-safe in-memory backend (type {@code memory}) for tests, development and caching. Puts
 * are atomic: the content is read whole before it replaces anything, so a failing stream changes
 * nothing. Offers {@link MetadataEditor}; has no versions, soft delete or tiers.
 *
 * <p>Unlike every other backend this one holds content in memory by nature: do not put more than the
 * heap allows ({@code max_size} bounds a single object, default 1 GiB).
 */
public final class MemoryBlobStore implements BlobStore, MetadataEditor {

    private static final Comparator<BlobKey> ORDER = BlobKey::compareTo;

    private final String name;
    private final long maxObjectSize;
    private final Clock clock;
    private final ConcurrentSkipListMap<BlobKey, Entry> objects = new ConcurrentSkipListMap<>(ORDER);
    private final AtomicLong versions = new AtomicLong();
    private final MemoryPartUploads parts = new MemoryPartUploads(this);

    private record Entry(byte[] data, BlobInfo info) {
    }

    public MemoryBlobStore() {
        this("memory");
    }

    public MemoryBlobStore(String name) {
        this(name, 1L << 30, Clock.systemUTC());
    }

    public MemoryBlobStore(String name, long maxObjectSize, Clock clock) {
        this.name = name;
        this.maxObjectSize = maxObjectSize;
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder()
                .rangeRead(true)
                .conditionalPut(true)
                .unknownLengthPut(true)
                .serverSideCopy(true)
                .metadataUpdate(true)
                .listConsistent(true)
                .maxObjectSize(maxObjectSize)
                .build();
    }

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        if (options.tier().isPresent()) {
            throw StorageException.unsupported(name, "tiers");
        }
        if (options.createOnly() && objects.containsKey(key)) {
            throw StorageException.alreadyExists(name, key);
        }
        byte[] data;
        String sha256;
        try (InputStream raw = content.open();
                MeasuringInputStream in = new MeasuringInputStream(raw, content.length(), maxObjectSize, name, key)) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            sha256 = in.finish(options.expectedSha256());
            data = buf.toByteArray();
        } catch (IOException e) {
            throw StorageException.io(name, "put", key, e);
        }
        Instant now = clock.instant();
        BlobInfo info = BlobInfo.builder(key)
                .size(data.length)
                .contentType(options.contentType())
                .metadata(options.metadata())
                .created(now)
                .modified(now)
                .versionId(Long.toString(versions.incrementAndGet()))
                .sha256(sha256)
                .etag(sha256)
                .backend(name)
                .build();
        Entry entry = new Entry(data, info);
        if (options.createOnly()) {
            if (objects.putIfAbsent(key, entry) != null) {
                throw StorageException.alreadyExists(name, key);
            }
        } else {
            objects.put(key, entry);
        }
        return info;
    }

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        Entry e = entry(key);
        BlobInfo info = e.info();
        options.checkConditions(info.etag().orElseThrow(), name, key);
        if (options.range().isPresent()) {
            ByteRange.Resolved r = options.range().get().resolve(e.data().length, name, key);
            return new BlobRead(info, new ByteArrayInputStream(e.data(), (int) r.first(), (int) r.length()), r);
        }
        InputStream in = new ByteArrayInputStream(e.data());
        if (options.verify()) {
            in = new VerifyingInputStream(in, info.sha256().orElseThrow(), info.size(), name, key);
        }
        return new BlobRead(info, in);
    }

    @Override
    public BlobInfo stat(BlobKey key) {
        return entry(key).info();
    }

    @Override
    public boolean exists(BlobKey key) {
        return objects.containsKey(key);
    }

    @Override
    public boolean delete(BlobKey key) {
        return objects.remove(key) != null;
    }

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        String start = ListPager.startAfterOrAt(request);
        BlobKey from = startKey(start);
        Map<BlobKey, Entry> tail = from == null ? objects : objects.tailMap(from, true);
        return ListPager.page(request, tail.entrySet().iterator(), en -> en.getKey().value(), en -> en.getValue().info());
    }

    /** The smallest valid key at or after {@code start} in byte order (start itself may be a prefix). */
    private static BlobKey startKey(String start) {
        // "" sorts first among suffixes: any key >= start also has start or a greater string as prefix,
        // so seeking to the longest valid key that is <= start loses nothing. Trimming trailing
        // separators yields such a key or a shorter string that sorts before start.
        String s = start;
        while (!s.isEmpty() && !BlobKey.isValid(s)) {
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? null : BlobKey.of(s);
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        Entry e = entry(source);
        Instant now = clock.instant();
        BlobInfo info = e.info().toBuilder().key(target).created(now).modified(now)
                .versionId(Long.toString(versions.incrementAndGet())).build();
        objects.put(target, new Entry(e.data(), info));
        return info;
    }

    @Override
    public HealthReport health() {
        return HealthReport.healthy(name, Duration.ZERO, objects.size() + " objects in memory");
    }

    /** Metadata editing and part uploads ({@link MemoryPartUploads}). */
    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> feature(Class<T> type) {
        return type == MetadataEditor.class ? Optional.of((T) this)
                : type == PartUploads.class ? Optional.of((T) parts) : Optional.empty();
    }

    @Override
    public BlobInfo setMetadata(BlobKey key, Map<String, String> metadata) {
        Map<String, String> valid = Metadata.validated(metadata);
        return objects.compute(key, (k, e) -> {
            if (e == null) {
                throw StorageException.notFound(name, key);
            }
            return new Entry(e.data(), e.info().toBuilder().metadata(valid).modified(clock.instant()).build());
        }).info();
    }

    @Override
    public BlobInfo setContentType(BlobKey key, String contentType) {
        String valid = Metadata.validContentType(contentType);
        return objects.compute(key, (k, e) -> {
            if (e == null) {
                throw StorageException.notFound(name, key);
            }
            return new Entry(e.data(), e.info().toBuilder().contentType(valid).modified(clock.instant()).build());
        }).info();
    }

    private Entry entry(BlobKey key) {
        Entry e = objects.get(key);
        if (e == null) {
            throw StorageException.notFound(name, key);
        }
        return e;
    }

    @Override
    public void close() {
        objects.clear();
    }

    @Override
    public String toString() {
        return "MemoryBlobStore[" + name + "]";
    }
}
