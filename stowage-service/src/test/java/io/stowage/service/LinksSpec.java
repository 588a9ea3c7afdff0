package io.stowage.service;

import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static io.stowage.ErrorKind.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.ErrorKind;
import io.stowage.service.LinkRefusedException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed download links: what they open, for how long, and every way a link is refused. */
abstract class LinksSpec extends ServiceTestBase {

    /** Later than the real time at which the test base's service made the first key. */
    final TestClock clock = new TestClock(Instant.parse("2030-03-01T10:00:00.250Z"));

    @BeforeEach
    void openWithTheTestClock() {
        service.close();
        service = StorageService.open(settings(), store, clock);
    }

    static String text(LinkRead link) throws IOException {
        try (link) {
            return new String(link.read().stream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void assertRefused(Throwable thrown, Reason reason) {
        assertThat(thrown).isInstanceOfSatisfying(LinkRefusedException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
            assertThat(e.refusal()).as(e.getMessage()).isEqualTo(reason);
        });
    }

    /** The token's payload with its fields changed by {@code edit}, under the original signature. */
    static String forged(String token, java.util.function.UnaryOperator<String[]> edit) {
        String[] parts = token.split("\\.");
        String[] fields = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8).split("\\|", -1);
        String payload = String.join("|", edit.apply(fields));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[1];
    }

    @Test
    void a_link_opens_the_file_for_anyone_holding_it_with_the_disposition_it_was_made_with() throws IOException {
        FileRecord saved = save("ada", "reports/Résumé 2026.txt", "hello");

        DownloadLink inline = service.downloadUrl("ada", saved.id());
        DownloadLink attachment = service.downloadUrl("ada", saved.id(), Duration.ofMinutes(5), LinkOptions.attachment());

        assertThat(inline.expiresAt()).isEqualTo(Instant.parse("2030-03-01T11:00:00Z"));
        assertThat(attachment.expiresAt()).isEqualTo(Instant.parse("2030-03-01T10:05:00Z"));
        assertThat(inline.token()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(inline.versionId()).isEqualTo(saved.versionId());
        try (LinkRead read = service.openLink(inline.token())) {
            assertThat(read.read().file()).isEqualTo(saved);
            assertThat(read.contentDisposition()).startsWith("inline; filename=\"R_sum_ 2026.txt\"; filename*=UTF-8''");
        }
        try (LinkRead read = service.openLink(attachment.token())) {
            assertThat(read.contentDisposition()).startsWith("attachment;");
            assertThat(new String(read.read().stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
    }

    @Test
    void a_link_keeps_opening_the_version_it_was_made_for_after_the_file_is_replaced() throws IOException {
        FileRecord first = save("ada", "a.txt", "first");
        DownloadLink link = service.downloadUrl("ada", first.id());
        service.replace("ada", first.id(), BlobContent.ofUtf8("second"), SaveOptions.defaults());

        assertThat(text(service.openLink(link.token()))).isEqualTo("first");
        assertThat(text(service.openLink(service.downloadUrl("ada", first.id()).token()))).isEqualTo("second");
    }

    @Test
    void a_link_reads_a_range_of_its_version_and_refuses_a_range_past_the_end() throws IOException {
        FileRecord saved = save("ada", "a.txt", "0123456789");
        String token = service.downloadUrl("ada", saved.id()).token();

        try (LinkRead read = service.openLink(token, null, io.stowage.ByteRange.fromTo(2, 5))) {
            assertThat(read.read().length()).isEqualTo(4);
            assertThat(new String(read.read().stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("2345");
        }
        assertKind(catchThrowable(() -> service.openLink(token, null, io.stowage.ByteRange.fromTo(50, 60))),
                ErrorKind.RANGE_NOT_SATISFIABLE);
    }

    @Test
    void a_link_works_until_its_expiry_and_is_refused_from_then_on() throws IOException {
        FileRecord saved = save("ada", "a.txt", "a");
        DownloadLink link = service.downloadUrl("ada", saved.id(), Duration.ofSeconds(90), LinkOptions.inline());

        clock.advance(Duration.ofSeconds(89));
        assertThat(text(service.openLink(link.token()))).isEqualTo("a");
        clock.advance(Duration.ofSeconds(1));

        assertRefused(catchThrowable(() -> service.openLink(link.token())), Reason.EXPIRED);
    }

    @Test
    void a_changed_or_made_up_token_is_refused_and_the_refusal_never_repeats_it() {
        FileRecord mine = save("ada", "mine.txt", "mine");
        FileRecord other = save("ada", "other.txt", "other");
        String token = service.downloadUrl("ada", mine.id()).token();
        String signature = token.substring(token.indexOf('.') + 1);

        String otherFile = forged(token, f -> {
            f[2] = other.id();
            return f;
        });
        String otherOwner = forged(token, f -> {
            f[4] = "bob";
            return f;
        });
        String longer = forged(token, f -> {
            f[5] = Long.toString(Long.parseLong(f[5]) + 86_400);
            return f;
        });
        String flippedSignature = token.substring(0, token.indexOf('.') + 1)
                + (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1);
        String spliced = service.downloadUrl("ada", other.id()).token().split("\\.")[0] + "." + signature;
        // The last character of a 32-byte signature carries two unused bits: this spelling decodes to the same bytes.
        char last = signature.charAt(signature.length() - 1);
        char sameBytes = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                .charAt("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(last) ^ 1);
        String respelled = token.substring(0, token.length() - 1) + sameBytes;
        assertThat(java.util.Base64.getUrlDecoder().decode(respelled.substring(respelled.indexOf('.') + 1)))
                .isEqualTo(java.util.Base64.getUrlDecoder().decode(signature));

        for (String bad : List.of(otherFile, otherOwner, longer, flippedSignature, spliced, respelled)) {
            Throwable thrown = catchThrowable(() -> service.openLink(bad));
            assertRefused(thrown, Reason.BAD_SIGNATURE);
            assertThat(thrown.getMessage()).doesNotContain(bad).doesNotContain(signature);
        }
        for (String junk : List.of("", "abc", "a.b.c", token + "x.y", "!!!.???", token.replace('.', '-'))) {
            assertRefused(catchThrowable(() -> service.openLink(junk)), Reason.MALFORMED);
        }
        assertRefused(catchThrowable(() -> service.openLink(null)), Reason.MALFORMED);
        String unknownKey = forged(token, f -> {
            f[1] = Ids.next(0);
            return f;
        });
        assertRefused(catchThrowable(() -> service.openLink(unknownKey)), Reason.UNKNOWN_KEY);
    }

    @Test
    void after_a_rotation_new_links_use_the_new_key_and_old_links_open_until_their_key_is_retired() throws IOException {
        FileRecord saved = save("ada", "a.txt", "a");
        List<SigningKey> firstStart = service.signingKeys();
        assertThat(firstStart).hasSize(1);
        String old = service.downloadUrl("ada", saved.id()).token();

        clock.advance(Duration.ofSeconds(1));
        SigningKey rotated = service.rotateSigningKey();
        String fresh = service.downloadUrl("ada", saved.id()).token();

        assertThat(keyOf(old)).isEqualTo(firstStart.get(0).id());
        assertThat(keyOf(fresh)).isEqualTo(rotated.id());
        assertThat(text(service.openLink(old))).isEqualTo("a");

        service.retireSigningKey(firstStart.get(0).id());

        assertRefused(catchThrowable(() -> service.openLink(old)), Reason.RETIRED_KEY);
        assertThat(text(service.openLink(fresh))).isEqualTo("a");
        assertThat(service.signingKeys()).extracting(SigningKey::id, k -> k.retired().isPresent())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(firstStart.get(0).id(), true),
                        org.assertj.core.groups.Tuple.tuple(rotated.id(), false));
        assertKind(catchThrowable(() -> service.retireSigningKey(firstStart.get(0).id())), NOT_FOUND);
        assertKind(catchThrowable(() -> service.retireSigningKey("no-such-key")), NOT_FOUND);
    }

    @Test
    void retiring_every_key_makes_the_next_link_sign_with_a_new_one() throws IOException {
        FileRecord saved = save("ada", "a.txt", "a");
        service.retireSigningKey(service.signingKeys().get(0).id());

        String token = service.downloadUrl("ada", saved.id()).token();

        assertThat(service.signingKeys()).hasSize(2);
        assertThat(text(service.openLink(token))).isEqualTo("a");
    }

    @Test
    void keys_and_links_outlive_a_restart_and_no_key_secret_ever_leaves_the_catalog() throws IOException {
        FileRecord saved = save("ada", "a.txt", "a");
        String token = service.downloadUrl("ada", saved.id()).token();
        List<SigningKey> keys = service.signingKeys();
        service.close();
        service = StorageService.open(settings(), store, clock);

        assertThat(service.signingKeys()).isEqualTo(keys);
        assertThat(text(service.openLink(token))).isEqualTo("a");
        String secret;
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            secret = db.withHandle("test", h -> h.createQuery("SELECT secret FROM signing_keys").mapTo(String.class).one());
        }
        assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
        assertThat(keys.toString()).doesNotContain(secret);
        service.retireSigningKey(keys.get(0).id());
        assertThat(catchThrowable(() -> service.openLink(token)).getMessage()).doesNotContain(secret);
    }

    @Test
    void a_link_bound_to_a_user_opens_for_that_user_only() throws IOException {
        FileRecord saved = save("ada", "a.txt", "a");
        String token = service.downloadUrl("ada", saved.id(), Duration.ofMinutes(1),
                LinkOptions.attachment().boundTo("carol")).token();

        assertRefused(catchThrowable(() -> service.openLink(token)), Reason.OTHER_USER);
        assertRefused(catchThrowable(() -> service.openLink(token, "bob")), Reason.OTHER_USER);
        assertThat(text(service.openLink(token, "carol"))).isEqualTo("a");
        assertRefused(catchThrowable(() -> service.openLink(forged(token, f -> {
            f[7] = "bob";
            return f;
        }), "bob")), Reason.BAD_SIGNATURE);
        assertKind(catchThrowable(() -> LinkOptions.inline().boundTo("not a user!")), INVALID_ARGUMENT);
    }

    @Test
    void a_link_to_a_deleted_file_or_a_purged_version_is_not_found() {
        FileRecord deleted = save("ada", "gone.txt", "gone");
        String toDeleted = service.downloadUrl("ada", deleted.id()).token();
        service.delete("ada", deleted.id());

        assertKind(catchThrowable(() -> service.openLink(toDeleted)), NOT_FOUND);
        service.undelete("ada", deleted.id());
        service.purge("ada", deleted.id());
        assertKind(catchThrowable(() -> service.openLink(toDeleted)), NOT_FOUND);
    }

    @Test
    void only_the_owner_makes_links_and_only_for_a_lifetime_within_the_bounds() {
        FileRecord saved = save("ada", "a.txt", "a");

        assertKind(catchThrowable(() -> service.downloadUrl("bob", saved.id())), NOT_FOUND);
        assertKind(catchThrowable(() -> service.downloadUrl("ada", "not-an-id")), NOT_FOUND);
        for (Duration ttl : java.util.Arrays.asList(Duration.ZERO, Duration.ofMillis(999), Duration.ofDays(7).plusSeconds(1),
                Duration.ofSeconds(-5), null)) {
            assertKind(catchThrowable(() -> service.downloadUrl("ada", saved.id(), ttl, LinkOptions.inline())),
                    INVALID_ARGUMENT);
        }
        assertThat(catchThrowable(() -> service.downloadUrl("ada", saved.id(), Duration.ofMillis(999), LinkOptions.inline())))
                .hasMessageEndingWith(": a link lives from 1 to 604800 seconds (limits.max_link_ttl), was 0.999 seconds");
        assertThat(service.downloadUrl("ada", saved.id(), Duration.ofDays(7), LinkOptions.inline()).expiresAt())
                .isEqualTo(Instant.parse("2030-03-08T10:00:00Z"));
    }

    @Test
    void making_links_and_rotating_and_retiring_keys_are_audited() {
        FileRecord saved = save("ada", "a.txt", "a");
        service.downloadUrl("ada", saved.id());
        catchThrowable(() -> service.downloadUrl("bob", saved.id()));
        SigningKey rotated = new CallContext("admin-7", "req-1", "10.0.0.1").call(service::rotateSigningKey);
        service.retireSigningKey(rotated.id());

        assertThat(service.audit(AuditQuery.all(100)).entries())
                .extracting(AuditEntry::actor, AuditEntry::action, AuditEntry::target, AuditEntry::outcome)
                .contains(org.assertj.core.groups.Tuple.tuple("ada", "link.create", "file:" + saved.id(), "ok"),
                        org.assertj.core.groups.Tuple.tuple("bob", "link.create", "file:" + saved.id(), "NOT_FOUND"),
                        org.assertj.core.groups.Tuple.tuple("admin-7", "signing_key.rotate", "signing_key:" + rotated.id(), "ok"),
                        org.assertj.core.groups.Tuple.tuple("system", "signing_key.retire", "signing_key:" + rotated.id(), "ok"));
    }

    private static String keyOf(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8).split("\\|")[1];
    }
}
