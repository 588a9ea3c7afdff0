package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Part sizes chosen from the length, and a put of replayable content whose SHA-256 its source already
 * knows (the CLI hashes a file while the store opens): read once, not hashed in a pass of its own first,
 * and refused without committing anything when the content does not match (decision 0056).
 */
@ExtendWith(S3ProxyServer.Extension.class)
class S3TransferSpeedTest {

    private static final long MIB = 1024 * 1024;

    private final S3ProxyServer proxy;

    S3TransferSpeedTest(S3ProxyServer proxy) {
        this.proxy = proxy;
    }

    private static S3BlobStoreConfig config(Map<String, String> settings) {
        Map<String, String> s = new HashMap<>(settings);
        s.putIfAbsent("endpoint", "http://127.0.0.1:9");
        s.putIfAbsent("bucket", "bkt");
        return S3BlobStoreConfig.from(new BackendConfig("speed", "minio", s, Path.of("target")));
    }

    private static String sha(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void part_sizes_follow_the_length() {
        S3BlobStoreConfig defaults = config(Map.of()); // 8 MiB parts, 4 in flight
        assertThat(S3Writer.partSize(defaults, -1)).isEqualTo(8 * MIB);
        assertThat(S3Writer.partSize(defaults, 8 * MIB)).isEqualTo(8 * MIB);
        // Just above one part: S3's smallest parts, so the upload runs in parallel.
        assertThat(S3Writer.partSize(defaults, 8 * MIB + 1)).isEqualTo(5 * MIB);
        assertThat(S3Writer.partSize(defaults, 48 * MIB)).isEqualTo(6 * MIB);
        assertThat(S3Writer.partSize(defaults, 1024 * MIB)).isEqualTo(8 * MIB);
        // Beyond 10,000 parts of 8 MiB: the smallest whole MiB that fits in 10,000.
        long huge = 100_000 * MIB;
        assertThat(S3Writer.partSize(defaults, huge)).isEqualTo(10 * MIB);
        assertThat(Math.ceilDiv(huge, S3Writer.partSize(defaults, huge))).isLessThanOrEqualTo(S3BlobStoreConfig.MAX_PARTS);
        S3BlobStoreConfig big = config(Map.of("part_size", "64MiB", "upload_concurrency", "2"));
        assertThat(S3Writer.partSize(big, 100 * MIB)).isEqualTo(25 * MIB);
    }

    /** Replayable content counting how often it is opened, and the digest its source says it has. */
    private record Counted(byte[] bytes, AtomicInteger opens, java.util.Optional<String> knownSha256)
            implements BlobContent {
        Counted(byte[] bytes, AtomicInteger opens) {
            this(bytes, opens, java.util.Optional.empty());
        }

        @Override
        public OptionalLong length() {
            return OptionalLong.of(bytes.length);
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public InputStream open() {
            opens.incrementAndGet();
            return new ByteArrayInputStream(bytes);
        }
    }

    private S3BlobStore store() {
        Map<String, String> s = new HashMap<>(proxy.settings());
        s.put("part_size", "5MiB");
        return new S3BlobStore(config(s));
    }

    @Test
    void content_whose_digest_is_known_is_read_once_and_stored_with_it() {
        byte[] data = new byte[(int) (12 * MIB + 3)];
        new Random(1).nextBytes(data);
        String sha = sha(data);
        try (S3BlobStore store = store()) {
            AtomicInteger opens = new AtomicInteger();
            BlobInfo put = store.put(BlobKey.of("known.bin"), new Counted(data, opens, java.util.Optional.of(sha)),
                    PutOptions.defaults());
            assertThat(opens).hasValue(1);
            assertThat(put.sha256()).contains(sha);
            assertThat(store.stat(BlobKey.of("known.bin")).sha256()).contains(sha);
            assertThat(store.get(BlobKey.of("known.bin")).readAllBytes()).isEqualTo(data);

            AtomicInteger unknown = new AtomicInteger();
            store.put(BlobKey.of("unknown.bin"), new Counted(data, unknown), PutOptions.defaults());
            assertThat(unknown).as("hashed first, then uploaded").hasValue(2);
            assertThat(store.stat(BlobKey.of("unknown.bin")).sha256()).contains(sha);
        }
    }

    /** Content whose source vouches for its digest (decision 0073) and whose stream may fail at its end. */
    private record Vouched(byte[] bytes, String sha, boolean failAtEnd) implements BlobContent {
        @Override
        public OptionalLong length() {
            return OptionalLong.of(bytes.length);
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public java.util.Optional<String> knownSha256() {
            return java.util.Optional.of(sha);
        }

        @Override
        public boolean knownSha256Vouched() {
            return true;
        }

        @Override
        public InputStream open() {
            return new java.io.FilterInputStream(new ByteArrayInputStream(bytes)) {
                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    int n = super.read(b, off, len);
                    if (n < 0 && failAtEnd) {
                        throw StorageException.integrity("s3", BlobKey.of("v"), "changed");
                    }
                    return n;
                }
            };
        }
    }

    @Test
    void a_vouched_digest_is_sent_without_hashing_again_and_a_source_failing_at_the_end_commits_nothing() {
        byte[] data = new byte[(int) (12 * MIB)];
        new Random(3).nextBytes(data);
        String other = sha(new byte[1]);
        try (S3BlobStore store = store()) {
            // Taken as the source says: the upload computes no digest of its own to compare it with.
            BlobInfo put = store.put(BlobKey.of("vouched.bin"), new Vouched(data, other, false), PutOptions.defaults());
            assertThat(put.sha256()).contains(other);
            assertThat(store.get(BlobKey.of("vouched.bin")).readAllBytes()).isEqualTo(data);

            assertThatThrownBy(() -> store.put(BlobKey.of("changed.bin"), new Vouched(data, sha(data), true),
                    PutOptions.defaults())).isInstanceOfSatisfying(StorageException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY));
            assertThat(store.exists(BlobKey.of("changed.bin"))).isFalse();
            // Unvouched content with the same wrong digest is hashed on the way and refused, as before.
            assertThatThrownBy(() -> store.put(BlobKey.of("unvouched.bin"), new Counted(data, new AtomicInteger(),
                    java.util.Optional.of(other)), PutOptions.defaults())).isInstanceOf(StorageException.class);
            assertThat(store.exists(BlobKey.of("unvouched.bin"))).isFalse();
        }
    }

    @Test
    void a_known_digest_other_than_the_expected_one_fails_before_anything_is_sent() {
        byte[] data = new byte[(int) (12 * MIB)];
        AtomicInteger opens = new AtomicInteger();
        try (S3BlobStore store = store()) {
            assertThatThrownBy(() -> store.put(BlobKey.of("wrong.bin"), new Counted(data, opens,
                    java.util.Optional.of(sha(data))), PutOptions.builder().expectedSha256(sha(new byte[1])).build()))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY));
            assertThat(opens).hasValue(0);
            assertThat(store.exists(BlobKey.of("wrong.bin"))).isFalse();
        }
    }

    @Test
    void content_that_does_not_match_its_known_digest_commits_nothing() {
        byte[] data = new byte[(int) (12 * MIB)];
        new Random(2).nextBytes(data);
        byte[] changed = data.clone();
        changed[changed.length - 1] ^= 1; // the file changed after it was hashed
        try (S3BlobStore store = store()) {
            assertThatThrownBy(() -> store.put(BlobKey.of("changed.bin"),
                    new Counted(changed, new AtomicInteger(), java.util.Optional.of(sha(data))), PutOptions.defaults()))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY));
            assertThat(store.exists(BlobKey.of("changed.bin"))).isFalse();
            try (var raw = S3Clients.client(store.config(), List.of())) {
                assertThat(raw.listMultipartUploads(l -> l.bucket(store.config().bucket())).uploads()).isEmpty();
            }
        }
    }
}
