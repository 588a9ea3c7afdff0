package io.stowage.service;

import static io.stowage.ErrorKind.NOT_FOUND;
import static io.stowage.ErrorKind.QUOTA_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.groups.Tuple.tuple;

import io.stowage.BlobContent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit log: every mutation, refused ones included, with who, what, on what and how it went. */
abstract class AuditSpec extends ServiceTestBase {

    List<AuditEntry> all(AuditQuery query) {
        List<AuditEntry> out = new ArrayList<>();
        AuditPage page = service.audit(query);
        out.addAll(page.entries());
        while (page.nextCursor().isPresent()) {
            page = service.audit(query.after(page.nextCursor().get()));
            out.addAll(page.entries());
        }
        return out;
    }

    @Test
    void every_change_is_appended_with_actor_action_target_and_outcome() {
        FileRecord first = save("ada", "a.txt", "one");
        service.replace("ada", first.id(), BlobContent.ofUtf8("two"), SaveOptions.defaults());
        service.restoreVersion("ada", first.id(), first.versionId());
        service.delete("ada", first.id());
        service.undelete("ada", first.id());
        service.setQuota("ada", Quota.defaults().withMaxFiles(5));
        service.purge("ada", first.id());

        String target = "file:" + first.id();
        assertThat(all(AuditQuery.all(3))).extracting(AuditEntry::actor, AuditEntry::action, AuditEntry::target,
                AuditEntry::outcome).containsExactly(
                tuple("ada", "file.save", target, "ok"),
                tuple("ada", "file.replace", target, "ok"),
                tuple("ada", "file.restore_version", target, "ok"),
                tuple("ada", "file.delete", target, "ok"),
                tuple("ada", "file.undelete", target, "ok"),
                tuple("ada", "quota.set", "owner:ada", "ok"),
                tuple("ada", "file.purge", target, "ok"));
    }

    @Test
    void refused_calls_are_appended_with_the_kind_of_their_failure() {
        FileRecord adas = save("ada", "a.txt", "one");
        service.setQuota("ada", Quota.defaults().withMaxBytes(5));

        assertKind(catchThrowable(() -> service.delete("bob", adas.id())), NOT_FOUND);
        assertKind(catchThrowable(() -> save("ada", "b.txt", "too much")), QUOTA_EXCEEDED);

        assertThat(all(AuditQuery.all(10).byAction("file.delete"))).extracting(AuditEntry::actor, AuditEntry::target,
                AuditEntry::outcome).containsExactly(tuple("bob", "file:" + adas.id(), "NOT_FOUND"));
        assertThat(all(AuditQuery.all(10).byAction("file.save"))).extracting(AuditEntry::target, AuditEntry::outcome)
                .containsExactly(tuple("file:" + adas.id(), "ok"), tuple("owner:ada", "QUOTA_EXCEEDED"));
    }

    @Test
    void actor_correlation_id_and_client_address_come_from_the_call_context() {
        new CallContext("admin-key-7", "req-0042", "203.0.113.9").run(() -> save("ada", "a.txt", "one"));
        save("ada", "b.txt", "two");

        List<AuditEntry> entries = service.audit(AuditQuery.all(10)).entries();
        assertThat(entries).extracting(AuditEntry::actor, AuditEntry::correlationId, AuditEntry::clientAddress)
                .containsExactly(tuple("admin-key-7", "req-0042", "203.0.113.9"), tuple("ada", "", ""));
    }

    @Test
    void the_log_is_read_by_actor_action_and_time_in_pages() {
        Instant before = Instant.now().minusSeconds(1);
        for (int i = 0; i < 5; i++) {
            save("ada", "a" + i, "x");
            save("bob", "b" + i, "x");
        }
        FileRecord last = save("ada", "z", "x");
        service.delete("ada", last.id());

        assertThat(all(AuditQuery.all(2).byActor("ada").byAction("file.save"))).hasSize(6)
                .extracting(AuditEntry::id).isSorted();
        assertThat(all(AuditQuery.all(2).byActor("bob"))).hasSize(5);
        assertThat(all(AuditQuery.all(100).between(before, Instant.now().plusSeconds(1)))).hasSize(12);
        assertThat(all(AuditQuery.all(100).between(Instant.now().plusSeconds(60), Instant.now().plusSeconds(120))))
                .isEmpty();
    }

    @Test
    void the_log_is_read_by_target_within_a_time_window_in_pages() {
        service.close();
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        service = StorageService.open(settings(), store, clock);
        FileRecord a = save("ada", "a.txt", "one");
        FileRecord b = save("ada", "b.txt", "two");
        for (int minute = 1; minute <= 4; minute++) {
            clock.advance(java.time.Duration.ofMinutes(1));
            service.replace("ada", a.id(), BlobContent.ofUtf8("v" + minute), SaveOptions.defaults());
            service.replace("ada", b.id(), BlobContent.ofUtf8("v" + minute), SaveOptions.defaults());
        }
        Instant from = Instant.parse("2026-03-01T10:02:00Z");
        Instant to = Instant.parse("2026-03-01T10:04:00Z");

        List<AuditEntry> window = all(AuditQuery.all(1).byTarget("file:" + a.id()).between(from, to));

        assertThat(window).extracting(AuditEntry::at, AuditEntry::action, AuditEntry::target).containsExactly(
                tuple(from, "file.replace", "file:" + a.id()),
                tuple(from.plusSeconds(60), "file.replace", "file:" + a.id()));
        assertThat(all(AuditQuery.all(3).byTarget("file:" + b.id()).byAction("file.replace"))).hasSize(4);
        assertThat(all(AuditQuery.all(3).byTarget("file:" + b.id()).byActor("bob"))).isEmpty();
        assertThat(all(AuditQuery.all(3).byTarget("file:" + a.id()))).extracting(AuditEntry::action)
                .containsExactly("file.save", "file.replace", "file.replace", "file.replace", "file.replace");
        assertKind(catchThrowable(() -> AuditQuery.all(3).between(to, from)), io.stowage.ErrorKind.INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> service.audit(AuditQuery.all(3).after("x"))), io.stowage.ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void the_log_names_files_by_id_only() {
        FileRecord saved = save("ada", "secret-merger-plan.txt", "confidential");
        service.purge("ada", saved.id());

        assertThat(all(AuditQuery.all(10))).isNotEmpty().allSatisfy(e -> assertThat(e.toString())
                .doesNotContain("secret").doesNotContain("merger").doesNotContain("confidential"));
    }
}
