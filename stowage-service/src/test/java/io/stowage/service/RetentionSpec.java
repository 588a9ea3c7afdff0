package io.stowage.service;

import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.testkit.FaultyBlobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention policies: versions kept by count and by age, the trash emptied, per owner or global (decision 0041). */
abstract class RetentionSpec extends ServiceTestBase {

    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private FaultyBlobStore faulty;
    private Retention retention;

    @BeforeEach
    void openOnTheTestClock() {
        service.close();
        faulty = new FaultyBlobStore(store);
        service = StorageService.open(settings(), faulty, clock);
        retention = service.retention();
    }

    /** A file of {@code owner} with one version per text, oldest first, each {@code apart} after the one before. */
    private FileRecord history(String owner, String name, Duration apart, String... texts) {
        FileRecord f = save(owner, name, texts[0]);
        for (int i = 1; i < texts.length; i++) {
            clock.advance(apart);
            f = service.replace(owner, f.id(), BlobContent.ofUtf8(texts[i]), SaveOptions.defaults());
        }
        return f;
    }

    private List<String> versionSizes(String owner, FileRecord f) {
        return service.versions(owner, f.id()).stream().map(v -> v.number() + ":" + v.size()).toList();
    }

    @Test
    void keeping_at_most_n_versions_removes_the_oldest_beyond_n_and_frees_their_bytes_after_a_dry_run_that_changes_nothing() {
        FileRecord doc = history("ada", "doc.txt", Duration.ofMinutes(1), "1", "22", "333", "4444");
        FileRecord bobs = history("bob", "b.txt", Duration.ofMinutes(1), "a", "bb", "ccc");
        retention.setRetention(RetentionPolicy.global().keepVersions(2));
        retention.setRetention(RetentionPolicy.forOwner("bob").keepVersions(3));
        Usage before = service.usage("ada");

        RetentionReport dry = retention.applyRetention(true);

        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.removals()).extracting(RetentionReport.Removal::owner, RetentionReport.Removal::bytes,
                RetentionReport.Removal::rule).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("ada", 1L, RetentionReport.Rule.MAX_VERSIONS),
                org.assertj.core.groups.Tuple.tuple("ada", 2L, RetentionReport.Rule.MAX_VERSIONS));
        assertThat(dry.bytesFreed()).isEqualTo(3);
        assertThat(versionSizes("ada", doc)).containsExactly("4:4", "3:3", "2:2", "1:1");
        assertThat(service.usage("ada")).isEqualTo(before);
        assertThat(objects("ada/")).hasSize(4);

        RetentionReport applied = retention.applyRetention(false);

        assertThat(applied.removals()).isEqualTo(dry.removals());
        assertThat(applied.bytesFreed()).isEqualTo(3);
        assertThat(applied.failed()).isZero();
        assertThat(versionSizes("ada", doc)).containsExactly("4:4", "3:3");
        assertThat(versionSizes("bob", bobs)).hasSize(3);
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", before.bytes() - 3, 1));
        assertThat(objects("ada/")).hasSize(2);
        assertThat(rows("locations")).isEqualTo(2 + 3);
        assertThat(service.audit(AuditQuery.all(50).byAction("retention.remove_version")).entries()).hasSize(2);
        assertThat(service.audit(AuditQuery.all(50).byAction("retention.apply")).entries()).hasSize(1);
        assertThat(retention.applyRetention(false).removals()).as("nothing left to remove").isEmpty();
    }

    @Test
    void keeping_versions_younger_than_d_removes_older_ones_but_never_the_current_version() {
        FileRecord doc = history("ada", "doc.txt", Duration.ofDays(2), "old", "newer");
        clock.advance(Duration.ofHours(1));
        doc = service.replace("ada", doc.id(), BlobContent.ofUtf8("newest"), SaveOptions.defaults());
        FileRecord single = save("ada", "single.txt", "alone");
        clock.advance(Duration.ofDays(3));
        retention.setRetention(RetentionPolicy.forOwner("ada").keepYoungerThan(Duration.ofDays(1)));

        RetentionReport report = retention.applyRetention(false);

        assertThat(report.removals()).extracting(RetentionReport.Removal::fileId, RetentionReport.Removal::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(doc.id(), RetentionReport.Rule.MAX_AGE),
                        org.assertj.core.groups.Tuple.tuple(doc.id(), RetentionReport.Rule.MAX_AGE));
        assertThat(service.versions("ada", doc.id())).extracting(VersionRecord::number).containsExactly(3);
        assertThat(service.versions("ada", single.id())).hasSize(1);
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", "newest".length() + "alone".length(), 2));
    }

    @Test
    void trash_retention_purges_files_deleted_longer_ago_and_leaves_the_others_restorable() {
        FileRecord early = history("ada", "early.txt", Duration.ofMinutes(1), "e1", "e22");
        FileRecord late = save("ada", "late.txt", "late");
        FileRecord kept = save("ada", "kept.txt", "in use");
        service.delete("ada", early.id());
        clock.advance(Duration.ofDays(6));
        service.delete("ada", late.id());
        clock.advance(Duration.ofDays(2));
        retention.setRetention(RetentionPolicy.global().trashFor(Duration.ofDays(7)));

        RetentionReport report = retention.applyRetention(false);

        assertThat(report.removals()).containsExactly(
                new RetentionReport.Removal("ada", early.id(), "", 5, RetentionReport.Rule.TRASH));
        assertThat(report.bytesFreed()).isEqualTo(5);
        assertThat(service.trash("ada", "", 10).files()).extracting(FileRecord::id).containsExactly(late.id());
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", "late".length() + "in use".length(), 2));
        assertThat(objects("ada/")).hasSize(2);
        service.undelete("ada", late.id());
        assertThat(service.info("ada", kept.id())).isEqualTo(kept);
    }

    @Test
    void an_owners_policy_replaces_the_global_one_until_it_is_removed() {
        FileRecord doc = history("ada", "doc.txt", Duration.ofMinutes(1), "1", "22", "333");
        retention.setRetention(RetentionPolicy.global().keepVersions(1));
        retention.setRetention(RetentionPolicy.forOwner("ada").keepVersions(3));
        retention.setRetention(RetentionPolicy.forOwner("ada").keepVersions(5).trashFor(Duration.ofDays(30)));

        assertThat(retention.retentionPolicies()).containsExactly(RetentionPolicy.global().keepVersions(1),
                RetentionPolicy.forOwner("ada").keepVersions(5).trashFor(Duration.ofDays(30)));
        assertThat(retention.applyRetention(false).removals()).isEmpty();

        assertThat(retention.removeRetention("ada")).isTrue();
        assertThat(retention.removeRetention("ada")).isFalse();
        assertThat(retention.applyRetention(false).bytesFreed()).isEqualTo(1 + 2);
        assertThat(versionSizes("ada", doc)).containsExactly("3:3");

        assertThat(retention.removeRetention(RetentionPolicy.GLOBAL)).isTrue();
        assertThat(retention.retentionPolicies()).isEmpty();
        assertThat(service.audit(AuditQuery.all(50).byAction("retention.set")).entries()).hasSize(3);
        assertThat(service.audit(AuditQuery.all(50).byAction("retention.remove")).entries()).hasSize(2);
    }

    @Test
    void a_policy_that_keeps_nothing_or_names_a_malformed_owner_is_refused() {
        assertKind(catchThrowable(() -> RetentionPolicy.global().keepVersions(0)), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> RetentionPolicy.global().keepYoungerThan(Duration.ZERO)), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> RetentionPolicy.forOwner("../etc")), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> retention.removeRetention("no/slash")), INVALID_ARGUMENT);
        assertThat(retention.retentionPolicies()).isEmpty();
    }

    @Test
    void a_removal_the_backend_fails_is_counted_and_left_for_the_next_run() {
        FileRecord doc = history("ada", "doc.txt", Duration.ofMinutes(1), "1", "22");
        retention.setRetention(RetentionPolicy.global().keepVersions(1));
        Usage before = service.usage("ada");
        faulty.down();

        RetentionReport failed = retention.applyRetention(false);

        faulty.up();
        assertThat(failed.failed()).isEqualTo(1);
        assertThat(failed.removals()).isEmpty();
        assertThat(failed.bytesFreed()).isZero();
        assertThat(service.usage("ada")).isEqualTo(before);
        assertThat(versionSizes("ada", doc)).containsExactly("2:2", "1:1");
        assertThat(service.audit(AuditQuery.all(50).byAction("retention.apply")).entries())
                .extracting(AuditEntry::outcome).containsExactly("partial");

        RetentionReport retried = retention.applyRetention(false);

        assertThat(retried.bytesFreed()).isEqualTo(1);
        assertThat(versionSizes("ada", doc)).containsExactly("2:2");
    }
}
