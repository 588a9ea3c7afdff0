package io.stowage.service;

import static io.stowage.ErrorKind.QUOTA_EXCEEDED;
import static io.stowage.ErrorKind.TOO_LARGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.QuotaExceededException;
import io.stowage.StorageException;
import io.stowage.testkit.Contents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Upload limits and quotas, checked before streaming and enforced while streaming, exact under concurrency. */
abstract class QuotaSpec extends ServiceTestBase {

    static final int MIB = 1 << 20;

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_DEFAULT_QUOTA_FILES", "1000");
    }

    FileRecord saveBytes(String owner, int size, boolean declared) {
        BlobContent content = declared ? BlobContent.of(Contents.bytes(size, size))
                : BlobContent.ofUnknownLength(Contents.generated(size, size));
        return service.save(owner, "f" + size, content, SaveOptions.defaults());
    }

    @Test
    void a_save_whose_declared_length_passes_the_quota_is_refused_before_it_streams() {
        service.setQuota("ada", Quota.defaults().withMaxBytes(MIB + MIB / 2));
        FileRecord kept = saveBytes("ada", MIB, true);

        Throwable thrown = catchThrowable(() -> saveBytes("ada", MIB, true));

        assertKind(thrown, QUOTA_EXCEEDED);
        assertThat(thrown).isInstanceOfSatisfying(QuotaExceededException.class,
                e -> assertThat(e.limit()).isEqualTo(MIB + MIB / 2));
        assertThat(objects("ada/")).hasSize(1);
        assertThat(rows("versions")).isOne();
        assertThat(service.usage("ada")).isEqualTo(new Usage("ada", kept.size(), 1,
                OptionalLong.of(MIB + MIB / 2), OptionalLong.of(1000)));
        assertThat(reserved("ada")).isZero();
    }

    @Test
    void a_stream_of_unknown_length_is_cut_off_where_it_crosses_the_quota_and_leaves_nothing() {
        service.setQuota("ada", Quota.defaults().withMaxBytes(MIB + MIB / 2));
        saveBytes("ada", MIB, false);

        assertKind(catchThrowable(() -> saveBytes("ada", MIB, false)), QUOTA_EXCEEDED);

        assertThat(objects("ada/")).hasSize(1);
        assertThat(rows("versions")).isOne();
        assertThat(service.usage("ada").bytes()).isEqualTo(MIB);
        assertThat(reserved("ada")).isZero();
        assertThat(saveBytes("ada", MIB / 2, false).size()).as("what is left still fits").isEqualTo(MIB / 2);
    }

    @Test
    void the_file_quota_counts_files_not_versions() {
        service.setQuota("ada", Quota.defaults().withMaxFiles(2));
        FileRecord first = save("ada", "a", "1");
        save("ada", "b", "2");

        assertKind(catchThrowable(() -> save("ada", "c", "3")), QUOTA_EXCEEDED);
        assertThat(service.replace("ada", first.id(), BlobContent.ofUtf8("1, again"), SaveOptions.defaults()).version())
                .isEqualTo(2);
        assertThat(service.usage("ada").files()).isEqualTo(2);
    }

    @Test
    void an_owner_never_seen_is_made_by_its_first_save_with_its_counters() {
        assertThat(rows("owners")).isZero();

        FileRecord first = save("newcomer", "a", "12345");

        assertThat(first.version()).isEqualTo(1);
        assertThat(rows("owners")).isOne();
        assertThat(rows("usage_counters")).isOne();
        assertThat(service.usage("newcomer").bytes()).isEqualTo(5);
        assertThat(service.usage("newcomer").files()).isOne();
        assertThat(service.replace("newcomer", first.id(), BlobContent.ofUtf8("x"), SaveOptions.defaults()).version())
                .as("the first version was numbered as the file's first").isEqualTo(2);
    }

    @Test
    void an_owner_whose_counters_are_missing_gets_them_back_and_a_refusal_makes_nothing() {
        service.setQuota("ada", Quota.defaults().withMaxFiles(1));
        deleteCounters("ada");

        assertThat(save("ada", "a", "1").version()).isEqualTo(1);
        assertThat(service.usage("ada").files()).as("counters made again by the save").isOne();

        deleteCounters("ada");
        service.setQuota("ada", Quota.defaults().withMaxFiles(0));
        deleteCounters("ada");
        assertKind(catchThrowable(() -> save("ada", "b", "2")), QUOTA_EXCEEDED);
        assertThat(rows("usage_counters")).as("the refused save's counters rolled back with it").isZero();
        assertThat(rows("versions")).isOne();
    }

    private void deleteCounters(String owner) {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            db.useTransaction("test", h -> h.createUpdate("DELETE FROM usage_counters WHERE owner_id = :o")
                    .bind("o", owner).execute());
        }
    }

    @Test
    void an_owners_own_upload_limit_applies_to_that_owner_only() {
        service.setQuota("ada", Quota.defaults().withMaxUploadSize(1000));

        assertKind(catchThrowable(() -> saveBytes("ada", 1001, true)), TOO_LARGE);
        assertKind(catchThrowable(() -> saveBytes("ada", 1001, false)), TOO_LARGE);
        assertThat(saveBytes("ada", 1000, false).size()).isEqualTo(1000);
        assertThat(saveBytes("bob", 5000, false).size()).isEqualTo(5000);
        assertThat(objects("ada/")).hasSize(1);
        assertThat(reserved("ada")).isZero();
    }

    @Test
    void restoring_a_version_counts_against_the_quota_like_a_save() {
        service.setQuota("ada", Quota.defaults().withMaxBytes(10));
        FileRecord first = save("ada", "a", "12345");
        service.replace("ada", first.id(), BlobContent.ofUtf8("1234"), SaveOptions.defaults());

        assertKind(catchThrowable(() -> service.restoreVersion("ada", first.id(), first.versionId())), QUOTA_EXCEEDED);

        assertThat(objects("ada/")).hasSize(2);
        assertThat(service.versions("ada", first.id())).hasSize(2);
        assertThat(service.usage("ada").bytes()).isEqualTo(9);
        assertThat(reserved("ada")).isZero();
    }

    @Test
    void purging_gives_the_quota_back() {
        service.setQuota("ada", Quota.defaults().withMaxBytes(MIB));
        FileRecord first = saveBytes("ada", MIB, true);
        assertKind(catchThrowable(() -> saveBytes("ada", 1, true)), QUOTA_EXCEEDED);

        service.delete("ada", first.id());
        assertKind(catchThrowable(() -> saveBytes("ada", 1, true)), QUOTA_EXCEEDED);
        service.purge("ada", first.id());

        assertThat(saveBytes("ada", MIB, true).size()).isEqualTo(MIB);
    }

    @Test
    void parallel_uploads_of_declared_length_never_pass_the_quota() throws Exception {
        assertExactlyFit(32, 10, MIB, Quota.defaults().withMaxBytes(10L * MIB), i -> BlobContent.of(Contents.bytes(i, MIB)));
    }

    @Test
    void parallel_uploads_of_unknown_length_never_pass_the_quota() throws Exception {
        assertExactlyFit(32, 10, MIB, Quota.defaults().withMaxBytes(10L * MIB),
                i -> BlobContent.ofUnknownLength(Contents.generated(i, MIB)));
    }

    @Test
    void parallel_small_saves_against_a_file_quota_store_exactly_as_many_files_as_it_allows() throws Exception {
        // Small saves arrive together: their pending rows and commits share transactions, a refused one rolled back alone.
        assertExactlyFit(64, 20, 4096, Quota.defaults().withMaxFiles(20), i -> BlobContent.of(Contents.bytes(i, 4096)));
    }

    /** {@code callers} parallel saves of {@code size} bytes each against {@code quota}: exactly {@code fit} stored. */
    private void assertExactlyFit(int callers, int fit, long size, Quota quota, IntFunction<BlobContent> content)
            throws Exception {
        service.setQuota("ada", quota);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        service.save("ada", "part-" + n, content.apply(n), SaveOptions.defaults());
                        return true;
                    } catch (StorageException e) {
                        assertThat(e.kind()).as(e.getMessage()).isEqualTo(QUOTA_EXCEEDED);
                        return false;
                    }
                }));
            }
            start.countDown();
            int saved = 0;
            for (Future<Boolean> r : results) {
                saved += r.get(5, TimeUnit.MINUTES) ? 1 : 0;
            }
            assertThat(saved).isEqualTo(fit);
        } finally {
            pool.shutdownNow();
        }
        assertThat(service.usage("ada").bytes()).isEqualTo(fit * size);
        assertThat(service.usage("ada").files()).isEqualTo(fit);
        assertThat(objects("ada/")).hasSize(fit);
        assertThat(rows("versions")).isEqualTo(fit);
        assertThat(reserved("ada")).isZero();
    }
}
