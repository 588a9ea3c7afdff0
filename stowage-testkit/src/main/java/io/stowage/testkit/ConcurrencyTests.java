package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Puts are atomic: concurrent writers and readers never see a mix of two contents. */
public interface ConcurrencyTests extends ContractContext {

    int WRITERS = 8;
    int CONTENT_SIZE = 1024 * 1024 + 13;

    /** Runs every task at once (released together) and returns their results in order. */
    private <T> List<T> runTogether(List<Callable<T>> tasks) {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(tasks.size())) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(5, TimeUnit.MINUTES));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("a concurrent task failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("concurrent tasks did not finish", e);
        }
    }

    @Test
    default void concurrent_writers_to_one_key_leave_exactly_one_complete_content() {
        BlobKey k = key("contended.bin");
        Set<String> written = new HashSet<>();
        List<Callable<BlobInfo>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            long seed = 100 + w;
            written.add(Contents.sha256(seed, CONTENT_SIZE));
            writers.add(() -> store().put(k, BlobContent.of(Contents.generated(seed, CONTENT_SIZE), CONTENT_SIZE)));
        }
        List<BlobInfo> results = runTogether(writers);
        assertThat(results).allSatisfy(r -> assertThat(written).contains(r.sha256().orElseThrow()));
        String actual = readSha256(k);
        assertThat(written).as("the object is one writer's complete content").contains(actual);
        BlobInfo stat = store().stat(k);
        assertThat(stat.sha256()).contains(actual);
        assertThat(stat.size()).isEqualTo(CONTENT_SIZE);
        assertThat(listedKeys()).containsExactly(k.value());
    }

    @Test
    default void readers_during_overwrites_see_only_complete_versions() {
        BlobKey k = key("flapping.bin");
        int versions = 4;
        Set<String> written = new HashSet<>();
        for (int v = 0; v < versions; v++) {
            written.add(Contents.sha256(200 + v, CONTENT_SIZE));
        }
        store().put(k, BlobContent.of(Contents.generated(200, CONTENT_SIZE), CONTENT_SIZE));
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Callable<Integer>> tasks = new ArrayList<>();
        tasks.add(() -> {
            try {
                for (int i = 1; i <= 24; i++) {
                    long seed = 200 + (i % versions);
                    store().put(k, BlobContent.of(Contents.generated(seed, CONTENT_SIZE), CONTENT_SIZE));
                }
                return 24;
            } finally {
                writing.set(false);
            }
        });
        for (int r = 0; r < 3; r++) {
            tasks.add(() -> {
                int reads = 0;
                // At least a few reads each, even if the writer is quick.
                while (writing.get() || reads < 3) {
                    String sha = readSha256(k);
                    assertThat(written).as("a read returned a mix of versions").contains(sha);
                    reads++;
                }
                return reads;
            });
        }
        List<Integer> counts = runTogether(tasks);
        assertThat(counts).allSatisfy(c -> assertThat(c).isPositive());
        assertThat(written).contains(readSha256(k));
    }

    @Test
    default void concurrent_create_only_puts_let_exactly_one_win() {
        BlobKey k = key("race.txt");
        if (!store().capabilities().conditionalPut()) {
            assertFails(ErrorKind.UNSUPPORTED, () -> put(k, "x", PutOptions.builder().createOnly(true).build()));
            assertThat(store().exists(k)).isFalse();
            return;
        }
        List<Callable<String>> racers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            String text = "writer " + w;
            racers.add(() -> {
                try {
                    put(k, text, PutOptions.builder().createOnly(true).build());
                    return text;
                } catch (StorageException e) {
                    assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.ALREADY_EXISTS);
                    return null;
                }
            });
        }
        List<String> winners = runTogether(racers).stream().filter(w -> w != null).toList();
        assertThat(winners).as("create-only winners").hasSize(1);
        assertHolds(k, winners.getFirst());
    }
}
