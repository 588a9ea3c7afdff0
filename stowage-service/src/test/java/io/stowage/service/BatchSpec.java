package io.stowage.service;

import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static io.stowage.ErrorKind.QUOTA_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.testkit.Contents;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Saving many files at once: one result per item, quotas exact. */
abstract class BatchSpec extends ServiceTestBase {

    static final int MIB = 1 << 20;

    @Test
    void a_batch_over_the_quota_saves_exactly_what_fits_and_says_why_each_other_item_was_refused() {
        service.setQuota("ada", Quota.defaults().withMaxBytes(10L * MIB));
        List<BatchItem> items = new ArrayList<>();
        IntStream.range(0, 14).forEach(i -> items.add(BatchItem.of("f" + i, i % 2 == 0
                ? BlobContent.of(Contents.bytes(i, MIB)) : BlobContent.ofUnknownLength(Contents.generated(i, MIB)))));
        items.add(6, BatchItem.of("   ", BlobContent.ofUtf8("no name")));

        List<BatchResult> results = service.saveBatch("ada", items);

        assertThat(results).hasSize(15).extracting(BatchResult::index).containsExactlyElementsOf(IntStream.range(0, 15).boxed().toList());
        assertKind(results.get(6).error().orElseThrow(), INVALID_ARGUMENT);
        List<BatchResult> sized = results.stream().filter(r -> r.index() != 6).toList();
        assertThat(sized.stream().filter(BatchResult::ok)).hasSize(10);
        sized.stream().filter(r -> !r.ok()).forEach(r -> assertKind(r.error().orElseThrow(), QUOTA_EXCEEDED));
        assertThat(sized).allSatisfy(r -> assertThat(r.record().isPresent()).isNotEqualTo(r.error().isPresent()));
        assertThat(service.usage("ada").bytes()).isEqualTo(10L * MIB);
        assertThat(service.usage("ada").files()).isEqualTo(10);
        assertThat(reserved("ada")).isZero();
        assertThat(objects("ada/")).hasSize(10);
        results.stream().filter(BatchResult::ok).forEach(r ->
                assertThat(service.info("ada", r.record().orElseThrow().id()).name()).isEqualTo(items.get(r.index()).name()));
    }

    @Test
    void every_item_of_a_batch_is_audited_under_the_callers_context_and_a_bad_owner_refuses_the_batch() {
        List<BatchResult> results = new CallContext("uploader", "req-9", "10.0.0.2").call(() -> service.saveBatch("ada",
                List.of(BatchItem.of("a", BlobContent.ofUtf8("a")), BatchItem.of("b", BlobContent.ofUtf8("b")))));

        assertThat(results).allMatch(BatchResult::ok);
        assertThat(service.audit(AuditQuery.all(10).byAction("file.save")).entries())
                .extracting(AuditEntry::actor, AuditEntry::correlationId)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("uploader", "req-9"));
        assertKind(catchThrowable(() -> service.saveBatch("bad owner", List.of())), INVALID_ARGUMENT);
        assertThat(service.saveBatch("ada", List.of())).isEmpty();
    }
}
