package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a put syncs, and in which order (decision 0087): its content and its sidecar's bytes at the same time, then the
 * content's directory, and only then is the sidecar renamed into place and its directory synced. Counted through the
 * store's {@link LocalSidecars.Syncs}.
 */
class LocalSyncsTest {

    private static final BlobKey KEY = BlobKey.of("ada/2026/12/file-1/version-1");

    @TempDir
    Path root;

    /** Records every sync; each file sync waits (bounded) for a second one to start, to see whether they overlap. */
    static final class Recording implements LocalSidecars.Syncs {
        final List<String> done = new CopyOnWriteArrayList<>();
        final CountDownLatch bothStarted = new CountDownLatch(2);
        /** Set when a file sync found no second one starting while it waited: they ran one after the other. */
        volatile boolean waitedAlone;
        volatile IOException failSidecar;

        @Override
        public void force(FileChannel file) throws IOException {
            bothStarted.countDown();
            try {
                if (!bothStarted.await(5, TimeUnit.SECONDS)) {
                    waitedAlone = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            boolean sidecar = file.size() < 1024 && new String(read(file)).contains("\"schema\"");
            if (sidecar && failSidecar != null) {
                throw failSidecar;
            }
            file.force(true);
            done.add(sidecar ? "sidecar" : "content");
        }

        @Override
        public void dir(Path dir) throws IOException {
            DISK.dir(dir);
            done.add("dir " + dir.getParent().getParent().getParent().getParent().getFileName());
        }

        private static byte[] read(FileChannel file) throws IOException {
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate((int) file.size());
            while (bb.hasRemaining() && file.read(bb, bb.position()) > 0) {
                // all of it
            }
            return bb.array();
        }
    }

    private LocalBlobStore store(Recording syncs, boolean fsync) {
        return new LocalBlobStore("local", root, LocalBlobStoreConfig.defaults().withFsync(fsync), syncs);
    }

    @Test
    void a_put_syncs_its_content_and_sidecar_together_then_the_content_directory_then_the_sidecar_directory() {
        Recording syncs = new Recording();
        try (LocalBlobStore store = store(syncs, true)) {
            store.put(KEY, BlobContent.of(new byte[65536]), PutOptions.defaults());

            assertThat(syncs.waitedAlone).as("the content's and the sidecar's syncs ran at the same time").isFalse();
            assertThat(syncs.done).hasSize(4);
            assertThat(syncs.done.subList(0, 2)).containsExactlyInAnyOrder("content", "sidecar");
            assertThat(syncs.done.subList(2, 4)).containsExactly("dir data", "dir metadata");
            assertThat(store.stat(KEY).size()).isEqualTo(65536);
        }
    }

    @Test
    void a_put_with_fsync_off_syncs_nothing() {
        Recording syncs = new Recording();
        try (LocalBlobStore store = store(syncs, false)) {
            store.put(KEY, BlobContent.ofUtf8("throwaway"), PutOptions.defaults());

            assertThat(syncs.done).isEmpty();
            assertThat(store.stat(KEY).size()).isEqualTo(9);
        }
    }

    @Test
    void a_put_whose_sidecar_cannot_be_synced_fails_and_leaves_neither_the_object_nor_its_content() throws IOException {
        Recording syncs = new Recording();
        syncs.failSidecar = new IOException("disk gone");
        try (LocalBlobStore store = store(syncs, true)) {
            assertThatThrownBy(() -> store.put(KEY, BlobContent.ofUtf8("lost"), PutOptions.defaults()))
                    .isInstanceOf(StorageException.class).hasMessageContaining("disk gone");

            assertThat(store.exists(KEY)).isFalse();
            try (Stream<Path> files = Files.walk(root.resolve("data"))) {
                assertThat(files.filter(Files::isRegularFile)).isEmpty();
            }
        }
    }
}
