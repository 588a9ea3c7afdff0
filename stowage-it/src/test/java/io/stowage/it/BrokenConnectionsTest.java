package io.stowage.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.Listing;
import io.stowage.StorageException;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.Await;
import io.stowage.testkit.Contents;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections to the primary are cut in the middle of a transfer (the fault proxy closes them), and a
 * slow link still carries a large transfer whole. Nothing partial is ever served as complete or left on
 * the primary.
 */
@ExtendWith(S3ProxyExtension.class)
class BrokenConnectionsTest {

    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final int SIZE = 3 << 20;

    @TempDir
    Path dir;

    private final S3ProxyProcess server;
    private FaultProxy proxy;
    private Deployment deployment;
    private StorageManager manager;
    private BlobStore store;

    BrokenConnectionsTest(S3ProxyProcess server) {
        this.server = server;
    }

    @BeforeEach
    void deploy() {
        proxy = FaultProxy.to(server.port());
        deployment = Deployment.write(dir, server, proxy, PrimaryOutageTest.FAILOVER_LAYERS,
                PrimaryOutageTest.LOCAL_FALLBACK);
        manager = deployment.open();
        store = manager.store();
    }

    @AfterEach
    void close() {
        manager.close();
        proxy.close();
    }

    @Test
    void a_connection_reset_mid_download_fails_the_read_instead_of_ending_it_early() throws Exception {
        BlobKey key = BlobKey.of("reset/download.bin");
        byte[] data = Contents.bytes(11, SIZE);
        assertThat(store.put(key, BlobContent.of(data)).backend()).isEqualTo(Deployment.S3);
        // Slow, so that most of the body is still to come when the connection is cut.
        proxy.throttle(256 << 10);

        long read;
        try (BlobRead r = store.get(key)) {
            assertThat(r.length()).isEqualTo(SIZE);
            InputStream in = r.stream();
            read = in.readNBytes(64 << 10).length;
            proxy.resetConnections();
            Throwable failure = null;
            byte[] buf = new byte[64 << 10];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    read += n;
                }
            } catch (Exception e) {
                failure = e;
            }
            // A stream's read fails with an IOException (no HTTP client type) carrying the typed error.
            assertThat(failure).as("the read of a cut connection after %d of %d bytes", read, SIZE)
                    .isExactlyInstanceOf(java.io.IOException.class);
            assertThat(failure.getCause()).isInstanceOf(StorageException.class);
            StorageException typed = (StorageException) failure.getCause();
            assertThat(typed.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
            assertThat(typed.backend()).contains(Deployment.S3);
            assertThat(typed.getMessage()).contains("reset/download.bin").contains("of " + SIZE + " bytes");
        }
        assertThat(read).isLessThan(SIZE);

        // The object itself is intact: read again once the link is healthy.
        proxy.throttle(0);
        try (BlobRead r = store.get(key, GetOptions.builder().verify(true).build())) {
            assertThat(Contents.sha256(r.stream())).isEqualTo(Contents.sha256(data));
        }
    }

    @Test
    void an_upload_from_a_file_cut_midway_leaves_nothing_on_the_primary_and_lands_on_the_fallback() throws Exception {
        BlobKey key = BlobKey.of("reset/upload-file.bin");
        Path file = dir.resolve("upload.bin");
        Files.write(file, Contents.bytes(12, SIZE));
        String sha = Contents.sha256(12, SIZE);

        CompletableFuture<BlobInfo> put = cutMidUpload(() -> store.put(key, BlobContent.ofFile(file)));

        BlobInfo info = put.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(info.backend()).isEqualTo("disk");
        assertThat(info.sha256()).contains(sha);
        assertThat(manager.journalled()).isEqualTo(1);
        proxy.accept();
        try (BlobStore stored = deployment.primaryAsStored()) {
            assertThat(stored.exists(key)).as("a partial object on the primary").isFalse();
            assertThat(Listing.all(stored, "").toList()).isEmpty();
            PrimaryOutageTest.awaitPrimaryAnswers(manager);
            assertThat(manager.replay().pending()).isZero();
            assertThat(stored.stat(key).sha256()).contains(sha);
        }
    }

    @Test
    void a_one_shot_upload_cut_midway_fails_typed_and_leaves_nothing_anywhere() throws Exception {
        BlobKey key = BlobKey.of("reset/upload-stream.bin");

        CompletableFuture<BlobInfo> put = cutMidUpload(
                () -> store.put(key, BlobContent.of(Contents.generated(13, SIZE), SIZE)));

        assertThatThrownBy(() -> put.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(ErrorKind.UNAVAILABLE));
        assertThat(manager.journalled()).isZero();
        assertThat(Listing.all(manager.backend("disk").orElseThrow(), "").toList()).isEmpty();
        proxy.accept();
        try (BlobStore stored = deployment.primaryAsStored()) {
            assertThat(stored.exists(key)).as("a partial object on the primary").isFalse();
            assertThat(Listing.all(stored, "").toList()).isEmpty();
        }
        PrimaryOutageTest.awaitPrimaryAnswers(manager);
        assertThat(store.exists(key)).isFalse();
    }

    @Test
    void over_a_slow_link_a_large_upload_and_download_complete_with_equal_checksums() throws Exception {
        BlobKey key = BlobKey.of("slow/large.bin");
        Path file = dir.resolve("large.bin");
        Files.write(file, Contents.bytes(14, SIZE));
        String sha = Contents.sha256(14, SIZE);
        proxy.throttle(1 << 20);
        long upBefore = proxy.upstreamBytes();
        long downBefore = proxy.downstreamBytes();

        BlobInfo info = store.put(key, BlobContent.ofFile(file));
        assertThat(info.backend()).isEqualTo(Deployment.S3);
        assertThat(info.sha256()).contains(sha);
        try (BlobRead r = store.get(key, GetOptions.builder().verify(true).build())) {
            assertThat(r.info().backend()).isEqualTo(Deployment.S3);
            assertThat(Contents.sha256(r.stream())).isEqualTo(sha);
        }
        // The bytes really went through the throttled proxy, both ways.
        assertThat(proxy.upstreamBytes() - upBefore).isGreaterThanOrEqualTo(SIZE);
        assertThat(proxy.downstreamBytes() - downBefore).isGreaterThanOrEqualTo(SIZE);
        assertThat(manager.journalled()).isZero();
    }

    /**
     * Starts {@code upload} over a throttled link, waits until a good part of it went through the proxy,
     * then cuts every connection and refuses new ones (the primary stays away, so retries cannot succeed).
     */
    private CompletableFuture<BlobInfo> cutMidUpload(java.util.function.Supplier<BlobInfo> upload) {
        proxy.throttle(512 << 10);
        long before = proxy.upstreamBytes();
        CompletableFuture<BlobInfo> put = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                put.complete(upload.get());
            } catch (Throwable t) {
                put.completeExceptionally(t);
            }
        });
        Await.until(BOUND, "a third of the upload passed the proxy",
                () -> put.isDone() || proxy.upstreamBytes() - before > SIZE / 3);
        assertThat(put).as("the upload was still under way when the connection was cut").isNotDone();
        proxy.refuse();
        return put;
    }
}
