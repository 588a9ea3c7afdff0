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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a put syncs, and in which order (decision 0087): with the content renamed into place and the sidecar written,
 * the content, then the sidecar's bytes, then the content's directory (whose rename the content's sync committed on a
 * journaling file system), and only then is the sidecar renamed into place and its directory synced. Counted through
 * the store's {@link LocalSidecars.Syncs}.
 */
class LocalSyncsTest {

    private static final BlobKey KEY = BlobKey.of("ada/2026/12/file-1/version-1");

    @TempDir
    Path root;

    /** Records every sync, and whether the content was already in its directory when it was synced. */
    final class Recording implements LocalSidecars.Syncs {
        final List<String> done = new CopyOnWriteArrayList<>();
        volatile IOException failSidecar;
        volatile IOException failMetadataDir;

        @Override
        public void force(FileChannel file) throws IOException {
            boolean sidecar = file.size() < 1024 && new String(read(file)).contains("\"schema\"");
            if (sidecar && failSidecar != null) {
                throw failSidecar;
            }
            file.force(true);
            done.add(sidecar ? "sidecar" : "content" + (placed() ? " in place" : " in tmp"));
        }

        @Override
        public void dir(Path dir) throws IOException {
            if (failMetadataDir != null && dir.startsWith(root.resolve("metadata"))) {
                throw failMetadataDir;
            }
            DISK.dir(dir);
            done.add("dir " + dir.getParent().getParent().getParent().getParent().getFileName());
        }

        private boolean placed() throws IOException {
            try (Stream<Path> files = Files.walk(root.resolve("data"))) {
                return files.anyMatch(Files::isRegularFile);
            }
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
    void a_put_syncs_its_placed_content_and_its_sidecar_then_the_content_directory_then_the_sidecar_directory() {
        Recording syncs = new Recording();
        try (LocalBlobStore store = store(syncs, true)) {
            store.put(KEY, BlobContent.of(new byte[65536]), PutOptions.defaults());

            assertThat(syncs.done).containsExactly("content in place", "sidecar", "dir data", "dir metadata");
            assertThat(store.stat(KEY).size()).isEqualTo(65536);
        }
    }

    /**
     * Decision 0109: a part upload's completion syncs the object as a put does, its content once and in place (that
     * sync commits the rename with it), not once before the rename as well; in order or assembled from parts out of
     * order. Buffered parts force nothing of their own here.
     */
    @Test
    void a_completed_part_upload_syncs_its_content_once_in_place_then_its_sidecar_and_both_directories() {
        Recording syncs = new Recording();
        try (LocalBlobStore store = store(syncs, true)) {
            io.stowage.PartUploads parts = store.feature(io.stowage.PartUploads.class).orElseThrow();
            byte[] first = new byte[(int) parts.minPartSize()];
            java.util.Arrays.fill(first, (byte) 1);
            byte[] second = "the end".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int[][] orders = {{1, 2}, {2, 1}};
            for (int[] order : orders) {
                BlobKey key = BlobKey.of("ada/2026/12/file-" + order[0] + "/version-1");
                io.stowage.PartUploads.Upload upload = parts.begin(key, PutOptions.defaults());
                java.util.Map<Integer, io.stowage.PartUploads.Part> put = new java.util.TreeMap<>();
                for (int n : order) {
                    put.put(n, parts.putPartBuffered(upload, n, BlobContent.of(n == 1 ? first : second)));
                }
                syncs.done.clear();

                parts.complete(upload, List.copyOf(put.values()), java.util.Optional.empty());

                assertThat(syncs.done).as("parts put in the order " + java.util.Arrays.toString(order))
                        .containsExactly("content in place", "sidecar", "dir data", "dir metadata");
                assertThat(store.stat(key).size()).isEqualTo(first.length + second.length);
            }
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

    @Test
    void a_put_whose_sidecar_directory_cannot_be_synced_fails_but_keeps_the_content_its_placed_sidecar_names()
            throws IOException {
        Recording syncs = new Recording();
        syncs.failMetadataDir = new IOException("disk gone");
        try (LocalBlobStore store = store(syncs, true)) {
            assertThatThrownBy(() -> store.put(KEY, BlobContent.ofUtf8("named"), PutOptions.defaults()))
                    .isInstanceOf(StorageException.class).hasMessageContaining("disk gone");

            // The sidecar was renamed into place before its directory's sync failed: what it names must be there.
            try (io.stowage.BlobRead read = store.get(KEY, io.stowage.GetOptions.defaults())) {
                assertThat(new String(read.stream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo("named");
            }
        }
    }
}
