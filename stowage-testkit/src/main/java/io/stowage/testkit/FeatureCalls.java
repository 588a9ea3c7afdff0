package io.stowage.testkit;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.GetOptions;
import io.stowage.Lifecycle;
import io.stowage.MetadataEditor;
import io.stowage.Presigner;
import io.stowage.SoftDelete;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.Versioned;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** One call of every method of every optional feature, named as the layers name its operation. */
final class FeatureCalls {

    private static final BlobKey K = BlobKey.of("feature/k");

    /** A call of {@code feature} on a store that offers it. */
    record Call(String name, Class<?> feature, Consumer<BlobStore> call) {
        void on(BlobStore store) {
            call.accept(store);
        }
    }

    private static <T> Call call(String name, Class<T> feature, Consumer<T> call) {
        return new Call(name, feature, store -> call.accept(store.feature(feature).orElseThrow()));
    }

    static final List<Call> ALL = List.of(
            call("set_tier", Tiered.class, t -> t.setTier(K, Tier.COLD)),
            call("restore", Tiered.class, t -> t.restore(K, 1, Optional.empty())),
            call("restore_status", Tiered.class, t -> t.restoreStatus(K)),
            call("list_versions", Versioned.class, v -> v.versions(K)),
            call("get_version", Versioned.class, v -> v.getVersion(K, "1", GetOptions.defaults()).close()),
            call("restore_version", Versioned.class, v -> v.restore(K, "1")),
            call("delete_version", Versioned.class, v -> v.deleteVersion(K, "1")),
            call("set_metadata", MetadataEditor.class, e -> e.setMetadata(K, Map.of("owner", "ada"))),
            call("set_content_type", MetadataEditor.class, e -> e.setContentType(K, "text/plain")),
            call("list_trash", SoftDelete.class, d -> d.trash("")),
            call("undelete", SoftDelete.class, d -> d.restore(K)),
            call("purge", SoftDelete.class, d -> d.purge(K)),
            call("purge_deleted_before", SoftDelete.class, d -> d.purgeDeletedBefore(Instant.now())),
            call("get_lifecycle", Lifecycle.class, Lifecycle::rules),
            call("set_lifecycle", Lifecycle.class, l -> l.setRules(List.of())),
            call("presign_get", Presigner.class, p -> p.presignGet(K, Duration.ofMinutes(5), Presigner.GetOverrides.none())),
            call("presign_put", Presigner.class, p -> p.presignPut(K, Duration.ofMinutes(5),
                    Presigner.PutConstraints.none())));

    private FeatureCalls() {
    }
}
