package io.stowage.service;

import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static io.stowage.ErrorKind.NOT_FOUND;
import static io.stowage.ErrorKind.PRECONDITION_FAILED;
import static io.stowage.ErrorKind.QUOTA_EXCEEDED;
import static io.stowage.ErrorKind.TOO_LARGE;
import static io.stowage.ErrorKind.UNSUPPORTED_MEDIA_TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.PutOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Direct uploads on a store that cannot presign (local disk): the bytes come through {@link DirectUploads#receive}
 * with the session's token, or are put at the session's key as a presigned client would; completion checks them,
 * a failed check and an expiry leave nothing, and the pending sweep leaves a session's version alone.
 */
abstract class DirectUploadsSpec extends ServiceTestBase {

    static final String PDF = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_ALLOWED_TYPES", "application/pdf,text/plain");
    }

    DirectUploads.Session open(String owner, String name, long size, String type, String sha256) {
        return service.directUploads().open(owner, new DirectUploads.Request(name, OptionalLong.of(size), type,
                Optional.ofNullable(sha256), null));
    }

    void send(DirectUploads.Session s, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        service.directUploads().receive(s.uploadId(), s.token().orElseThrow(), new ByteArrayInputStream(bytes),
                bytes.length, null);
    }

    /** Writes {@code body} where the session's bytes go, as a client holding a presigned URL would. */
    void putAtKey(DirectUploads.Session s, String body) {
        store.put(BlobKey.of(key(s)), BlobContent.ofUtf8(body), PutOptions.defaults());
    }

    String key(DirectUploads.Session s) {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            return db.withHandle("test", h -> h.createQuery("SELECT blob_key FROM direct_uploads WHERE id = :id")
                    .bind("id", s.uploadId()).mapTo(String.class).one());
        }
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a_session_on_a_store_without_presigning_takes_the_bytes_through_the_server_and_completes_as_a_save() throws Exception {
        List<FileEvent> heard = new ArrayList<>();
        service.addListener(heard::add);
        int bytes = PDF.getBytes(StandardCharsets.UTF_8).length;
        DirectUploads.Session s = open("alice", "report.pdf", bytes, "application/pdf", sha256(PDF));

        send(s, PDF);
        FileRecord file = service.directUploads().complete("alice", s.uploadId());

        assertThat(s.url()).isEmpty();
        assertThat(s.token()).isPresent();
        assertThat(s.method()).isEqualTo("PUT");
        assertThat(file.id()).isEqualTo(s.fileId());
        assertThat(file.name()).isEqualTo("report.pdf");
        assertThat(file.size()).isEqualTo(bytes);
        assertThat(file.sha256()).isEqualTo(sha256(PDF));
        assertThat(file.contentType()).isEqualTo("application/pdf");
        assertThat(key(s)).matches("alice/\\d{4}/\\d{2}/" + file.id() + "/" + file.versionId());
        assertThat(new String(service.retrieve("alice", file.id()).stream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo(PDF);
        assertThat(service.usage("alice").bytes()).isEqualTo(bytes);
        assertThat(reserved("alice")).isZero();
        assertThat(heard).extracting(FileEvent::type).containsExactly(FileEvent.SAVED);
        assertThat(service.audit(AuditQuery.all(50).byAction("file.save")).entries())
                .anySatisfy(e -> assertThat(e.target()).isEqualTo("file:" + file.id()));
        assertThat(service.directUploads().complete("alice", s.uploadId())).isEqualTo(file);
    }

    @Test
    void the_type_is_sniffed_from_the_bytes_and_one_not_allowed_is_refused_with_the_object_deleted() {
        String html = "<html><body><script>alert(1)</script></body></html>";
        DirectUploads.Session s = open("alice", "page.pdf", html.length(), "application/pdf", null);
        putAtKey(s, html);

        Throwable thrown = catchThrowable(() -> service.directUploads().complete("alice", s.uploadId()));

        assertKind(thrown, UNSUPPORTED_MEDIA_TYPE);
        assertNothingLeft("alice");
        assertKind(catchThrowable(() -> service.directUploads().complete("alice", s.uploadId())), NOT_FOUND);
    }

    @Test
    void a_size_other_than_declared_is_refused_at_the_server_url_and_at_completion_with_the_object_deleted() {
        DirectUploads.Session s = open("alice", "notes.txt", 5, "text/plain", null);

        Throwable atUrl = catchThrowable(() -> send(s, "six ch"));
        putAtKey(s, "six ch");
        Throwable atCompletion = catchThrowable(() -> service.directUploads().complete("alice", s.uploadId()));

        assertKind(atUrl, INVALID_ARGUMENT);
        assertKind(atCompletion, INVALID_ARGUMENT);
        assertThat(atCompletion).hasMessageContaining("declared as 5 bytes; 6 arrived");
        assertNothingLeft("alice");
    }

    @Test
    void a_sha256_other_than_declared_is_refused_with_the_object_deleted() throws Exception {
        DirectUploads.Session s = open("alice", "notes.txt", 5, "text/plain", sha256("hello"));
        putAtKey(s, "jello");

        Throwable thrown = catchThrowable(() -> service.directUploads().complete("alice", s.uploadId()));

        assertKind(thrown, INVALID_ARGUMENT);
        assertThat(thrown).hasMessageContaining(sha256("jello"));
        assertNothingLeft("alice");
    }

    @Test
    void completing_before_any_byte_arrived_is_refused_and_the_session_stays_open() {
        DirectUploads.Session s = open("alice", "later.txt", 5, "text/plain", null);

        Throwable early = catchThrowable(() -> service.directUploads().complete("alice", s.uploadId()));
        send(s, "later");

        assertKind(early, PRECONDITION_FAILED);
        assertThat(service.directUploads().complete("alice", s.uploadId()).size()).isEqualTo(5);
    }

    @Test
    void another_owner_a_wrong_token_and_an_unknown_id_find_no_session() {
        DirectUploads.Session s = open("alice", "mine.txt", 4, "text/plain", null);

        assertKind(catchThrowable(() -> service.directUploads().complete("bob", s.uploadId())), NOT_FOUND);
        assertKind(catchThrowable(() -> service.directUploads().complete("alice", "not-an-id")), NOT_FOUND);
        assertKind(catchThrowable(() -> service.directUploads().receive(s.uploadId(), s.token().get() + "x",
                new ByteArrayInputStream(new byte[4]), 4, null)), NOT_FOUND);
        assertKind(catchThrowable(() -> service.directUploads().receive(s.uploadId(), null,
                new ByteArrayInputStream(new byte[4]), 4, null)), NOT_FOUND);
        assertThat(objects("alice/")).isEmpty();
    }

    @Test
    void limits_and_quota_are_checked_when_the_session_opens() {
        service.setQuota("alice", Quota.defaults().withMaxBytes(10));

        Throwable overQuota = catchThrowable(() -> open("alice", "big.txt", 11, "text/plain", null));
        Throwable overLimit = catchThrowable(() -> open("alice", "huge.txt", Long.MAX_VALUE / 2, "text/plain", null));
        DirectUploads.Session fits = open("alice", "fits.txt", 10, "text/plain", null);
        Throwable second = catchThrowable(() -> open("alice", "one-more.txt", 1, "text/plain", null));

        assertKind(overQuota, QUOTA_EXCEEDED);
        assertKind(overLimit, TOO_LARGE);
        assertKind(second, QUOTA_EXCEEDED);
        assertThat(reserved("alice")).isEqualTo(10);
        assertThat(fits.uploadId()).isNotBlank();
    }

    @Test
    void a_session_without_a_size_reserves_at_completion_and_is_refused_over_the_quota() {
        service.setQuota("alice", Quota.defaults().withMaxBytes(4));
        DirectUploads.Session s = service.directUploads().open("alice", new DirectUploads.Request("any.txt",
                OptionalLong.empty(), "text/plain", Optional.empty(), null));
        putAtKey(s, "too long");

        Throwable thrown = catchThrowable(() -> service.directUploads().complete("alice", s.uploadId()));

        assertKind(thrown, QUOTA_EXCEEDED);
        assertNothingLeft("alice");
    }

    @Test
    void expiry_counts_in_a_dry_run_then_removes_the_object_the_pending_rows_and_the_reservation() {
        DirectUploads.Session left = open("alice", "left.txt", 4, "text/plain", null);
        send(left, "left");
        DirectUploads.Session done = open("alice", "done.txt", 4, "text/plain", null);
        send(done, "done");
        FileRecord kept = service.directUploads().complete("alice", done.uploadId());
        Instant later = left.expiresAt().plusSeconds(1);

        int counted = service.directUploads().expire(later, true);
        long sessionsAfterDryRun = rows("direct_uploads");
        int early = service.directUploads().expire(left.expiresAt().minusSeconds(1), false);
        int expired = service.directUploads().expire(later, false);

        assertThat(counted).isOne();
        assertThat(sessionsAfterDryRun).isEqualTo(2);
        assertThat(early).isZero();
        assertThat(expired).isOne();
        assertThat(rows("direct_uploads")).isZero();
        assertThat(objects("alice/")).hasSize(1);
        assertThat(service.list("alice", "", "", 10).files()).containsExactly(kept);
        assertThat(reserved("alice")).isZero();
        assertThat(service.usage("alice").bytes()).isEqualTo(4);
        assertKind(catchThrowable(() -> service.directUploads().complete("alice", left.uploadId())), NOT_FOUND);
        assertThat(service.directUploads().expire(later, false)).isZero();
    }

    @Test
    void a_restart_and_the_pending_sweep_leave_an_open_session_to_complete() {
        DirectUploads.Session s = open("alice", "across.txt", 6, "text/plain", null);
        send(s, "across");

        service.close();
        service = StorageService.open(settings(), store);
        int swept = service.sweepPending(Duration.ZERO);

        assertThat(swept).isZero();
        assertThat(service.directUploads().complete("alice", s.uploadId()).size()).isEqualTo(6);
    }

    @Test
    void the_ttl_is_bounded_and_a_session_past_its_expiry_cannot_complete() {
        Throwable tooLong = catchThrowable(() -> service.directUploads().open("alice", new DirectUploads.Request("x.txt",
                OptionalLong.of(1), "text/plain", Optional.empty(), Duration.ofDays(8))));
        Throwable badSha = catchThrowable(() -> open("alice", "x.txt", 1, "text/plain", "abc"));

        assertKind(tooLong, INVALID_ARGUMENT);
        assertKind(badSha, INVALID_ARGUMENT);
        assertThat(rows("direct_uploads")).isZero();
    }

    @Test
    void a_session_past_its_expiry_takes_no_bytes_and_cannot_complete_before_it_is_cleaned() {
        service.close();
        TestClock clock = new TestClock(Instant.now());
        service = StorageService.open(settings(), store, clock);
        DirectUploads.Session s = service.directUploads().open("alice", new DirectUploads.Request("slow.txt",
                OptionalLong.of(4), "text/plain", Optional.empty(), Duration.ofMinutes(5)));
        send(s, "slow");

        clock.advance(Duration.ofMinutes(5));
        Throwable put = catchThrowable(() -> send(s, "slow"));
        Throwable completed = catchThrowable(() -> service.directUploads().complete("alice", s.uploadId()));
        int expired = service.directUploads().expire(clock.instant(), false);

        assertKind(put, NOT_FOUND);
        assertKind(completed, NOT_FOUND);
        assertThat(expired).isOne();
        assertNothingLeft("alice");
    }

    private void assertNothingLeft(String owner) {
        assertThat(objects(owner + "/")).isEmpty();
        assertThat(rows("direct_uploads")).isZero();
        assertThat(rows("versions")).isZero();
        assertThat(rows("files")).isZero();
        assertThat(reserved(owner)).isZero();
        assertThat(service.usage(owner).files()).isZero();
    }
}
