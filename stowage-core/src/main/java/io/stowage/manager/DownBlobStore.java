package io.stowage.manager;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.Capabilities;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.time.Duration;
import java.util.Optional;

/**
 * Stands in for a backend that could not be opened at start-up: every call fails with the kind of the
 * failure to open and why. An outage ({@code UNAVAILABLE}, {@code TIMEOUT}) lets a failover send writes
 * on; a refusal ({@code CONFIG}: a missing module or credentials file, {@code PERMISSION_DENIED}) does not
 * (decision 0014).
 */
final class DownBlobStore implements BlobStore {

    private final String name;
    private final ErrorKind kind;
    private final String reason;

    DownBlobStore(String name, StorageException failure) {
        this.name = name;
        this.kind = failure.kind();
        this.reason = failure.reason();
    }

    /** Whether it stands in for a backend whose configuration was refused, rather than one that was away. */
    boolean refusing() {
        return !kind.outage();
    }

    private StorageException down(String op) {
        return StorageException.builder(kind).backend(name).operation(op)
                .message("backend '" + name + "' could not be opened: " + reason).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().rangeRead(true).unknownLengthPut(true).build();
    }

    @Override
    public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
        throw down("put");
    }

    @Override
    public BlobRead get(BlobKey key, GetOptions options) {
        throw down("get");
    }

    @Override
    public BlobInfo stat(BlobKey key) {
        throw down("stat");
    }

    @Override
    public boolean delete(BlobKey key) {
        throw down("delete");
    }

    @Override
    public Page<BlobInfo> list(ListRequest request) {
        throw down("list");
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        throw down("copy");
    }

    @Override
    public HealthReport health() {
        return HealthReport.unhealthy(name, Duration.ZERO, kind, "could not be opened: " + reason);
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        return Optional.empty();
    }

    @Override
    public void close() {
    }
}
