package io.stowage.service;

import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static io.stowage.ErrorKind.NOT_FOUND;
import static io.stowage.ErrorKind.QUOTA_EXCEEDED;
import static io.stowage.ErrorKind.TIMEOUT;
import static io.stowage.ErrorKind.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.testkit.FaultyBlobStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes, deletes and copies that fail at the backend are recorded, listed, retried and dismissed. */
abstract class FailedOperationsSpec extends ServiceTestBase {

    static final CallContext ADMIN = new CallContext("admin-7", "req-42", "10.1.2.3");
    FaultyBlobStore faulty;

    @BeforeEach
    void overAFaultyStore() {
        service.close();
        faulty = new FaultyBlobStore(store);
        service = StorageService.open(settings(), faulty);
    }

    List<FailedOperation> open() {
        List<FailedOperation> out = new ArrayList<>();
        Page<FailedOperation> page = service.failedOperations().list("", 2);
        out.addAll(page.items());
        while (page.nextCursor().isPresent()) {
            page = service.failedOperations().list(page.nextCursor().get(), 2);
            out.addAll(page.items());
        }
        return out;
    }

    BlobKey keyOf(FileRecord f) {
        return Uploads.keyOf(f.owner(), f.created(), f.id(), f.versionId());
    }

    @Test
    void a_purge_the_backend_fails_is_recorded_and_a_retry_deletes_the_object() {
        FileRecord saved = save("ada", "a.txt", "one");
        faulty.failNext(1, UNAVAILABLE);

        assertKind(catchThrowable(() -> ADMIN.run(() -> service.purge("ada", saved.id()))), UNAVAILABLE);

        assertThat(open()).singleElement().satisfies(f -> {
            assertThat(f.operation()).isEqualTo("file.purge");
            assertThat(f.target()).isEqualTo("file:" + saved.id());
            assertThat(f.fileId()).isEqualTo(saved.id());
            assertThat(f.owner()).isEqualTo("ada");
            assertThat(f.actor()).isEqualTo("admin-7");
            assertThat(f.correlationId()).isEqualTo("req-42");
            assertThat(f.kind()).isEqualTo(UNAVAILABLE);
            assertThat(f.cause()).contains("injected UNAVAILABLE");
            assertThat(f.retryable()).isTrue();
            assertThat(f.attempts()).isEqualTo(1);
        });
        assertThat(store.exists(keyOf(saved))).as("the object the purge could not delete").isTrue();

        service.failedOperations().retry(open().getFirst().id());

        assertThat(store.exists(keyOf(saved))).isFalse();
        assertKind(catchThrowable(() -> service.info("ada", saved.id())), NOT_FOUND);
        assertThat(service.usage("ada").bytes()).isZero();
        assertThat(open()).isEmpty();
        assertThat(service.audit(AuditQuery.all(10).byAction("failed_operation.retry")).entries())
                .extracting(AuditEntry::outcome).containsExactly(AuditLog.OK);
    }

    @Test
    void a_retry_that_fails_again_keeps_one_record_with_its_attempts_counted() {
        FileRecord saved = save("ada", "a.txt", "one");
        faulty.failNext(1, UNAVAILABLE);
        catchThrowable(() -> service.purge("ada", saved.id()));
        long id = open().getFirst().id();

        faulty.failNext(1, TIMEOUT);
        assertKind(catchThrowable(() -> service.failedOperations().retry(id)), TIMEOUT);

        assertThat(open()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo(id);
            assertThat(f.attempts()).isEqualTo(2);
            assertThat(f.kind()).isEqualTo(TIMEOUT);
        });
        service.failedOperations().retry(id);
        assertThat(open()).isEmpty();
        assertKind(catchThrowable(() -> service.failedOperations().retry(id)), NOT_FOUND);
    }

    @Test
    void a_save_the_backend_fails_is_recorded_and_cannot_be_re_run_but_can_be_dismissed() {
        faulty.failNext(1, UNAVAILABLE);

        assertKind(catchThrowable(() -> save("ada", "a.txt", "one")), UNAVAILABLE);

        FailedOperation failed = open().getFirst();
        assertThat(open()).extracting(FailedOperation::operation).containsExactly("file.save");
        assertThat(failed.target()).isEqualTo("owner:ada");
        assertThat(failed.retryable()).isFalse();
        assertKind(catchThrowable(() -> service.failedOperations().retry(failed.id())), INVALID_ARGUMENT);

        service.failedOperations().dismiss(failed.id());

        assertThat(open()).isEmpty();
        assertKind(catchThrowable(() -> service.failedOperations().dismiss(failed.id())), NOT_FOUND);
        assertThat(service.audit(AuditQuery.all(10).byTarget("failed_operation:" + failed.id())).entries())
                .extracting(AuditEntry::action).containsExactly("failed_operation.dismiss");
    }

    @Test
    void an_object_a_failed_save_could_not_delete_is_recorded_and_a_retry_deletes_it() {
        // The put fails, then so does the delete that would clean up after it.
        faulty.failNext(2, UNAVAILABLE);

        catchThrowable(() -> save("ada", "a.txt", "one"));

        assertThat(open()).extracting(FailedOperation::operation).containsExactly(Uploads.OBJECT_DELETE, "file.save");
        FailedOperation delete = open().getFirst();
        assertThat(delete.retryable()).isTrue();
        assertThat(delete.detail().get("key")).startsWith("ada/");
        assertThat(delete.target()).startsWith("file:");

        faulty.failNext(1, UNAVAILABLE);
        assertKind(catchThrowable(() -> service.failedOperations().retry(delete.id())), UNAVAILABLE);
        assertThat(service.failedOperations().get(delete.id()).orElseThrow().attempts()).isEqualTo(2);
        service.failedOperations().retry(delete.id());

        assertThat(open()).extracting(FailedOperation::operation).containsExactly("file.save");
    }

    @Test
    void an_erasure_the_backend_fails_is_recorded_and_a_retry_finishes_it() {
        FileRecord saved = save("ada", "a.txt", "one");
        faulty.failNext(1, UNAVAILABLE);
        catchThrowable(() -> service.eraseOwner("ada"));

        FailedOperation erase = open().getFirst();
        assertThat(erase.operation()).isEqualTo("owner.erase");
        assertThat(erase.target()).isEqualTo("owner:ada");

        service.failedOperations().retry(erase.id());

        assertThat(store.exists(keyOf(saved))).isFalse();
        assertThat(open()).isEmpty();
    }

    @Test
    void refusals_are_not_failures() {
        FileRecord saved = save("ada", "a.txt", "one");
        service.setQuota("ada", Quota.defaults().withMaxBytes(5));

        assertKind(catchThrowable(() -> save("ada", "b.txt", "more than five")), QUOTA_EXCEEDED);
        assertKind(catchThrowable(() -> service.purge("bob", saved.id())), NOT_FOUND);
        assertKind(catchThrowable(() -> service.delete("ada", "not-an-id")), NOT_FOUND);
        assertKind(catchThrowable(() -> service.failedOperations().list("nonsense", 10)), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> service.failedOperations().list("", 0)), INVALID_ARGUMENT);

        assertThat(open()).isEmpty();
    }

    @Test
    void failures_are_listed_oldest_first_in_pages() {
        for (int i = 0; i < 5; i++) {
            faulty.failNext(1, UNAVAILABLE);
            catchThrowable(() -> service.save("ada", "x.txt", BlobContent.ofUtf8("x"), SaveOptions.defaults()));
            FileRecord f = save("bob", "b.txt", "b");
            faulty.failNext(1, UNAVAILABLE);
            catchThrowable(() -> service.purge("bob", f.id()));
        }
        List<FailedOperation> all = open();

        assertThat(all).hasSize(6).extracting(FailedOperation::id).isSorted();
        assertThat(all.getFirst().attempts()).as("the same save of ada failing again").isEqualTo(5);
        assertThat(all).filteredOn(f -> f.operation().equals("file.purge")).hasSize(5);
    }

    @Test
    void a_cause_keeps_no_secret() {
        assertThat(FailedOperations.scrub("denied: secret_key=abc123, password: hunter2; token=t0k&x=1"))
                .isEqualTo("denied: secret_key=****, password: ****; token=****&x=1");
        assertThat(FailedOperations.scrub("x".repeat(5000))).hasSize(1001);
    }
}
