package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.Tiered.RestoreStatus.State;
import io.stowage.spi.BackendConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Storage classes and Glacier restores. s3proxy keeps no storage classes and cannot restore, so what
 * only AWS does is checked on the requests the SDK sends ({@link CapturedRequests}), as the names say.
 */
@ExtendWith(S3ProxyServer.Extension.class)
class S3TieringTest {

    private final S3ProxyServer server;
    private final CapturedRequests captured = new CapturedRequests();

    S3TieringTest(S3ProxyServer server) {
        this.server = server;
    }

    /** An {@code aws_s3} store (the type with tiers) pointed at s3proxy. */
    private S3BlobStore awsTyped() {
        Map<String, String> s = new HashMap<>(server.settings());
        s.remove("capabilities.conditional_put");
        s.put("checksum_mode", "when_required");
        s.put("addressing_style", "path");
        s.put("conditional_put", "false");
        return new S3BlobStore(S3BlobStoreConfig.from(new BackendConfig("aws", "aws_s3", s, Path.of("target"))),
                List.of(captured));
    }

    @Test
    void only_aws_s3_offers_tiers() {
        try (BlobStore minio = S3ProxyServer.open("minio", "minio", server.settings()); S3BlobStore aws = awsTyped()) {
            assertThat(minio.capabilities().tiers()).isFalse();
            assertThat(minio.feature(Tiered.class)).isEmpty();
            assertThat(aws.capabilities().tiers()).isTrue();
            Tiered tiered = aws.feature(Tiered.class).orElseThrow();
            assertThat(tiered.storageClasses()).containsExactly("STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING",
                    "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE");
            assertThat(tiered.storageClassOf(Tier.ARCHIVE)).isEqualTo("DEEP_ARCHIVE");
        }
    }

    @Test
    void a_put_with_a_tier_sends_its_storage_class_checked_on_the_request() {
        try (S3BlobStore aws = awsTyped()) {
            var put = aws.put(BlobKey.of("warm.txt"), BlobContent.ofUtf8("w"), PutOptions.builder().tier(Tier.WARM).build());
            assertThat(captured.last("PUT").header("x-amz-storage-class")).isEqualTo("STANDARD_IA");
            assertThat(put.tier()).contains(Tier.WARM);
            assertThat(put.storageClass()).contains("STANDARD_IA");
        }
    }

    @Test
    void changing_the_storage_class_copies_the_object_onto_itself_checked_on_the_request() {
        try (S3BlobStore aws = awsTyped()) {
            BlobKey key = BlobKey.of("moving/report.pdf");
            aws.put(key, BlobContent.ofUtf8("pdf"), PutOptions.builder().metadata(Map.of("owner", "ann")).build());
            captured.clear();
            aws.feature(Tiered.class).orElseThrow().setStorageClass(key, "glacier_ir");
            CapturedRequests.Sent copy = captured.last("PUT");
            assertThat(copy.header("x-amz-copy-source")).endsWith("/moving/report.pdf");
            assertThat(copy.header("x-amz-storage-class")).isEqualTo("GLACIER_IR");
            assertThat(copy.header("x-amz-metadata-directive")).isEqualTo("REPLACE");
            assertThat(copy.header("x-amz-meta-owner")).isEqualTo("ann");
            assertThat(copy.header("x-amz-meta-stowage-sha256")).hasSize(64);
            assertThat(copy.header("x-amz-copy-source-if-match")).isNotBlank();
            assertThat(aws.stat(key).metadata()).containsEntry("owner", "ann");
        }
    }

    @Test
    void a_restore_sends_restore_object_with_days_and_retrieval_tier_checked_on_the_request() {
        try (S3BlobStore aws = awsTyped()) {
            BlobKey key = BlobKey.of("cold/archive.tar");
            aws.put(key, BlobContent.ofUtf8("old"));
            captured.clear();
            Tiered tiered = aws.feature(Tiered.class).orElseThrow();
            try {
                tiered.restore(key, 3, Optional.of("bulk"));
            } catch (StorageException e) {
                // s3proxy does not implement RestoreObject; the request is what this test checks.
                assertThat(e.kind()).isIn(ErrorKind.UNSUPPORTED, ErrorKind.INTERNAL, ErrorKind.INVALID_ARGUMENT);
            }
            CapturedRequests.Sent restore = captured.last("POST");
            assertThat(restore.hasQuery("restore")).isTrue();
            assertThat(restore.http().encodedPath()).endsWith("/cold/archive.tar");
            assertThat(restore.body()).contains("<Days>3</Days>").contains("<Tier>Bulk</Tier>");
        }
    }

    @Test
    void the_portable_high_priority_is_sent_as_expedited_checked_on_the_request() {
        try (S3BlobStore aws = awsTyped()) {
            BlobKey key = BlobKey.of("cold/urgent.tar");
            aws.put(key, BlobContent.ofUtf8("old"));
            captured.clear();
            try {
                aws.feature(Tiered.class).orElseThrow().restore(key, 1, Optional.of("High"));
            } catch (StorageException e) {
                // s3proxy does not implement RestoreObject; the request is what this test checks.
                assertThat(e.kind()).isIn(ErrorKind.UNSUPPORTED, ErrorKind.INTERNAL, ErrorKind.INVALID_ARGUMENT);
            }
            assertThat(captured.last("POST").body()).contains("<Tier>Expedited</Tier>");
        }
    }

    @Test
    void bad_storage_classes_and_restore_priorities_are_refused_naming_what_is_accepted() {
        try (S3BlobStore aws = awsTyped()) {
            Tiered tiered = aws.feature(Tiered.class).orElseThrow();
            BlobKey key = BlobKey.of("x");
            StorageException cls = catchThrowableOfType(StorageException.class, () -> tiered.setStorageClass(key, "ICE"));
            assertThat(cls.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(cls.getMessage()).contains("DEEP_ARCHIVE");
            StorageException prio = catchThrowableOfType(StorageException.class,
                    () -> tiered.restore(key, 1, Optional.of("Instant")));
            assertThat(prio.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(prio.getMessage()).contains("Expedited", "Bulk");
            assertThat(catchThrowableOfType(StorageException.class, () -> tiered.restore(key, 0, Optional.empty())).kind())
                    .isEqualTo(ErrorKind.INVALID_ARGUMENT);
        }
    }

    @Test
    void the_restore_status_is_read_from_the_storage_class_and_the_x_amz_restore_header() {
        assertThat(S3Tiering.status("STANDARD", null).state()).isEqualTo(State.NOT_ARCHIVED);
        assertThat(S3Tiering.status("GLACIER_IR", null).state()).as("instant retrieval reads directly")
                .isEqualTo(State.NOT_ARCHIVED);
        assertThat(S3Tiering.status("DEEP_ARCHIVE", null).state()).isEqualTo(State.ARCHIVED);
        assertThat(S3Tiering.status("GLACIER", "ongoing-request=\"true\"").state()).isEqualTo(State.IN_PROGRESS);
        var restored = S3Tiering.status("GLACIER", "ongoing-request=\"false\", expiry-date=\"Fri, 23 Dec 2033 00:00:00 GMT\"");
        assertThat(restored.state()).isEqualTo(State.RESTORED);
        assertThat(restored.readableUntil()).contains(Instant.parse("2033-12-23T00:00:00Z"));
    }
}
