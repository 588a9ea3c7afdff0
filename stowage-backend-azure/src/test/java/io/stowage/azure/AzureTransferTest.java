package io.stowage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockListType;
import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ByteRange;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import io.stowage.testkit.Contents;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How large transfers move (decision 0061), against Azurite: blocks sized from the length, the SHA-256
 * computed in the one pass that sends the content, and the parallel ranged reads a large get is made of.
 */
@ExtendWith(AzuriteServer.Extension.class)
class AzureTransferTest {

    private static final int MIB = 1024 * 1024;

    private final AzuriteServer server;

    AzureTransferTest(AzuriteServer server) {
        this.server = server;
    }

    private static AzureBlobStoreConfig config(Map<String, String> settings) {
        return AzureBlobStoreConfig.from(new BackendConfig("t", "azure_blob", settings, Path.of("target")));
    }

    @Test
    void block_sizes_follow_the_length_so_a_file_a_little_over_one_block_still_moves_in_parallel() {
        AzureBlobStoreConfig defaults = config(server.settings());
        assertThat(AzureWriter.blockSize(defaults, -1)).as("unknown length").isEqualTo(8 * MIB);
        assertThat(AzureWriter.blockSize(defaults, 8 * MIB)).as("one Put Blob").isEqualTo(8 * MIB);
        assertThat(AzureWriter.blockSize(defaults, 9 * MIB)).isEqualTo(2 * MIB);
        assertThat(AzureWriter.blockSize(defaults, 40 * MIB)).isEqualTo(5 * MIB);
        assertThat(AzureWriter.blockSize(defaults, 1024L * MIB)).isEqualTo(8 * MIB);
        Map<String, String> s = server.settings();
        s.put("upload_concurrency", "64");
        assertThat(AzureWriter.blockSize(config(s), 9 * MIB)).as("never below 1 MiB").isEqualTo(MIB);
    }

    @Test
    void a_known_length_put_is_read_once_in_blocks_sized_from_its_length_and_its_digest_is_that_of_the_bytes() throws IOException {
        Map<String, String> s = server.settings();
        s.put("block_size", "4MiB");
        s.put("upload_concurrency", "2");
        long size = 10L * MIB;
        Counted content = new Counted(61, size);
        try (BlobStore store = AzuriteServer.open("blocks", s)) {
            BlobKey key = BlobKey.of("large/ten.bin");
            BlobInfo put = store.put(key, content);

            assertThat(content.opens).as("the content is read once: no pass of its own for the digest").hasValue(1);
            assertThat(content.bytes).hasValue(size);
            String expected = Contents.sha256(61, size);
            assertThat(put.sha256()).contains(expected);
            assertThat(store.stat(key).sha256()).contains(expected);
            // 10 MiB over 2 blocks in flight twice over: 3 MiB blocks (not 4 + 4 + 2).
            List<Long> blocks = new BlobServiceClientBuilder().connectionString(server.connectionString()).buildClient()
                    .getBlobContainerClient(s.get("container")).getBlobClient(key.value()).getBlockBlobClient()
                    .listBlocks(BlockListType.COMMITTED).getCommittedBlocks().stream().map(Block::getSizeLong).toList();
            assertThat(blocks).containsExactly(3L * MIB, 3L * MIB, 3L * MIB, 1L * MIB);
            try (BlobRead r = store.get(key)) {
                assertThat(Contents.sha256(r.stream())).isEqualTo(expected);
            }
        }
    }

    @Test
    void ranges_read_in_parallel_held_to_the_etag_make_the_blob_and_a_replaced_blob_fails_them_typed() throws Exception {
        // What the CLI's RangedDownload asks of a store (decision 0056): ranges at once, each If-Match.
        long size = 40L * MIB + 12_345;
        int ranges = 4;
        long chunk = Math.ceilDiv(size, ranges);
        try (BlobStore store = AzuriteServer.open("ranges", server.settings())) {
            BlobKey key = BlobKey.of("large/ranged.bin");
            BlobInfo put = store.put(key, BlobContent.of(Contents.generated(62, size), size));
            String etag = store.stat(key).etag().orElseThrow();
            byte[] whole = new byte[(int) size];
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<?>> reads = new java.util.ArrayList<>();
                for (int i = 0; i < ranges; i++) {
                    long first = i * chunk;
                    long last = Math.min(size, first + chunk) - 1;
                    reads.add(pool.submit(() -> {
                        try (BlobRead r = store.get(key, GetOptions.builder().range(ByteRange.fromTo(first, last))
                                .ifMatch(etag).build())) {
                            r.stream().readNBytes(whole, (int) first, (int) (last - first + 1));
                        }
                        return null;
                    }));
                }
                for (var f : reads) {
                    f.get();
                }
            }
            assertThat(Contents.sha256(whole)).isEqualTo(put.sha256().orElseThrow()).isEqualTo(Contents.sha256(62, size));

            store.put(key, BlobContent.ofUtf8("replaced"));
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.get(key,
                    GetOptions.builder().range(ByteRange.fromTo(chunk, 2 * chunk - 1)).ifMatch(etag).build()).close());
            assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED);
        }
    }

    /** Generated content of known length that counts how often it is opened and how many bytes are read. */
    private static final class Counted implements BlobContent {
        final AtomicInteger opens = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        private final long seed;
        private final long size;

        Counted(long seed, long size) {
            this.seed = seed;
            this.size = size;
        }

        @Override
        public OptionalLong length() {
            return OptionalLong.of(size);
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public InputStream open() {
            opens.incrementAndGet();
            return new FilterInputStream(Contents.generated(seed, size)) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        bytes.addAndGet(n);
                    }
                    return n;
                }
            };
        }
    }
}
