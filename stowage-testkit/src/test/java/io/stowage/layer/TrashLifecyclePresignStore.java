package io.stowage.layer;

import io.stowage.BlobKey;
import io.stowage.Capabilities;
import io.stowage.ForwardingBlobStore;
import io.stowage.Lifecycle;
import io.stowage.Presigner;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.VersioningMemoryStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A memory store named {@code cloud} with a trash (from {@link VersioningMemoryStore}), lifecycle rules
 * kept in memory and a presigner that signs {@code memory:} URLs, for the tests of these features through
 * the layers.
 */
final class TrashLifecyclePresignStore extends ForwardingBlobStore implements Lifecycle, Presigner {

    private volatile List<Rule> rules = List.of();

    TrashLifecyclePresignStore() {
        super(new VersioningMemoryStore(new MemoryBlobStore("cloud")));
    }

    @Override
    public Capabilities capabilities() {
        Map<String, Object> m = super.capabilities().toMap();
        return Capabilities.builder().rangeRead(true).conditionalPut(true).unknownLengthPut(true).serverSideCopy(true)
                .metadataUpdate((Boolean) m.get("metadata_update")).versioning(true).softDelete(true).listConsistent(true)
                .lifecycle(true).presign(true).build();
    }

    @Override
    public <T> Optional<T> feature(Class<T> type) {
        if (type == Lifecycle.class || type == Presigner.class) {
            return Optional.of(type.cast(this));
        }
        return super.feature(type);
    }

    @Override
    public List<Rule> rules() {
        return rules;
    }

    @Override
    public void setRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    @Override
    public PresignedRequest presignGet(BlobKey key, Duration ttl, GetOverrides overrides) {
        return signed("GET", key, ttl);
    }

    @Override
    public PresignedRequest presignPut(BlobKey key, Duration ttl, PutConstraints constraints) {
        return signed("PUT", key, ttl);
    }

    private PresignedRequest signed(String method, BlobKey key, Duration ttl) {
        Duration t = Presigner.checkTtl(ttl);
        return new PresignedRequest(method, URI.create("memory:cloud/" + key.value()), Map.of(), Instant.now().plus(t));
    }
}
