package io.stowage.layer;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.GetOptions;
import io.stowage.MetadataEditor;
import io.stowage.Presigner;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.Versioned;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The features of a backend seen through a {@link PrefixLayer}: every key the caller names goes in with
 * the prefix, every object that comes back goes out without it. Only features whose calls each name one
 * key are offered ({@link Tiered}, {@link Versioned}, {@link MetadataEditor}, {@link Presigner}): the trash
 * and the lifecycle rules act on the whole bucket at once ({@code purgeDeletedBefore}, {@code setRules}),
 * which a namespace cannot confine, so the prefix layer turns {@code soft_delete} and {@code lifecycle} off.
 */
final class PrefixedFeatures {

    private final UnaryOperator<BlobKey> in;
    private final UnaryOperator<BlobInfo> out;

    PrefixedFeatures(UnaryOperator<BlobKey> in, UnaryOperator<BlobInfo> out) {
        this.in = in;
        this.out = out;
    }

    <T> Optional<T> wrap(Class<T> type, Optional<T> feature) {
        return feature.flatMap(f -> Optional.ofNullable(wrapped(type, f)).map(type::cast));
    }

    private Object wrapped(Class<?> type, Object f) {
        if (type == MetadataEditor.class) {
            return editor((MetadataEditor) f);
        }
        if (type == Tiered.class) {
            return tiered((Tiered) f);
        }
        if (type == Versioned.class) {
            return versioned((Versioned) f);
        }
        if (type == Presigner.class) {
            return presigner((Presigner) f);
        }
        return null;
    }

    private MetadataEditor editor(MetadataEditor e) {
        return new MetadataEditor() {
            @Override
            public BlobInfo setMetadata(BlobKey key, Map<String, String> metadata) {
                return out.apply(e.setMetadata(in.apply(key), metadata));
            }

            @Override
            public BlobInfo setContentType(BlobKey key, String contentType) {
                return out.apply(e.setContentType(in.apply(key), contentType));
            }
        };
    }

    private Tiered tiered(Tiered t) {
        return new Tiered() {
            @Override
            public List<String> storageClasses() {
                return t.storageClasses();
            }

            @Override
            public String storageClassOf(Tier tier) {
                return t.storageClassOf(tier);
            }

            @Override
            public BlobInfo setTier(BlobKey key, Tier tier) {
                return out.apply(t.setTier(in.apply(key), tier));
            }

            @Override
            public BlobInfo setStorageClass(BlobKey key, String storageClass) {
                return out.apply(t.setStorageClass(in.apply(key), storageClass));
            }

            @Override
            public RestoreStatus restore(BlobKey key, int days, Optional<String> priority) {
                return t.restore(in.apply(key), days, priority);
            }

            @Override
            public RestoreStatus restoreStatus(BlobKey key) {
                return t.restoreStatus(in.apply(key));
            }
        };
    }

    private Versioned versioned(Versioned v) {
        return new Versioned() {
            @Override
            public List<BlobVersion> versions(BlobKey key) {
                return v.versions(in.apply(key)).stream()
                        .map(ver -> new BlobVersion(out.apply(ver.info()), ver.current())).toList();
            }

            @Override
            public BlobRead getVersion(BlobKey key, String versionId, GetOptions options) {
                BlobRead read = v.getVersion(in.apply(key), versionId, options);
                return read.withInfo(out.apply(read.info()));
            }

            @Override
            public BlobInfo restore(BlobKey key, String versionId) {
                return out.apply(v.restore(in.apply(key), versionId));
            }

            @Override
            public boolean deleteVersion(BlobKey key, String versionId) {
                return v.deleteVersion(in.apply(key), versionId);
            }
        };
    }

    private Presigner presigner(Presigner p) {
        return new Presigner() {
            @Override
            public PresignedRequest presignGet(BlobKey key, Duration ttl, GetOverrides overrides) {
                return p.presignGet(in.apply(key), ttl, overrides);
            }

            @Override
            public PresignedRequest presignPut(BlobKey key, Duration ttl, PutConstraints constraints) {
                return p.presignPut(in.apply(key), ttl, constraints);
            }
        };
    }
}
