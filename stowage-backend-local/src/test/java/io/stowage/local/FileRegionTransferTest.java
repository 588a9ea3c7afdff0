package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ByteRange;
import io.stowage.GetOptions;
import io.stowage.spi.io.RegionSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A read's {@code transferTo} hands a {@link RegionSink} the file's region, and any other stream the bytes (decision 0067). */
class FileRegionTransferTest {

    @TempDir
    Path root;

    private LocalBlobStore store;
    private final BlobKey key = BlobKey.of("a/region.bin");
    private final byte[] data = new byte[3 * (1 << 20) + 12_345];

    /** Records each region and copies its bytes, as a server writing them would. */
    private static class Recording extends OutputStream implements RegionSink {
        final List<long[]> regions = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            throw new AssertionError("a region sink was written byte by byte");
        }

        @Override
        public void write(byte[] b, int off, int len) {
            throw new AssertionError("a region sink was written an array");
        }

        @Override
        public long writeRegion(FileChannel file, long position, long count) throws IOException {
            regions.add(new long[] {position, count});
            ByteBuffer buffer = ByteBuffer.allocate((int) count);
            while (buffer.hasRemaining()) {
                if (file.read(buffer, position + buffer.position()) < 0) {
                    break;
                }
            }
            bytes.write(buffer.array(), 0, buffer.position());
            return buffer.position();
        }
    }

    @BeforeEach
    void open() {
        new Random(67).nextBytes(data);
        store = LocalBlobStore.open(root);
        store.put(key, BlobContent.of(data));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void a_whole_read_goes_to_a_region_sink_as_one_region() throws IOException {
        Recording sink = new Recording();
        try (BlobRead read = store.get(key, GetOptions.defaults()); InputStream in = read.stream()) {
            assertThat(in.transferTo(sink)).isEqualTo(data.length);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(sink.regions).containsExactly(new long[] {0, data.length});
        assertThat(sink.bytes.toByteArray()).isEqualTo(data);
    }

    @Test
    void a_range_goes_as_its_own_region_after_what_was_read_already() throws IOException {
        Recording sink = new Recording();
        try (BlobRead read = store.get(key, GetOptions.range(ByteRange.fromTo(1000, 2_000_999)));
             InputStream in = read.stream()) {
            byte[] first = in.readNBytes(10);
            assertThat(first).isEqualTo(Arrays.copyOfRange(data, 1000, 1010));
            assertThat(in.transferTo(sink)).isEqualTo(2_000_000 - 10);
        }
        assertThat(sink.regions).containsExactly(new long[] {1010, 2_000_000 - 10});
        assertThat(sink.bytes.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 1010, 2_001_000));
    }

    @Test
    void any_other_stream_gets_the_same_bytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BlobRead read = store.get(key, GetOptions.range(ByteRange.fromTo(5, data.length - 1)))) {
            read.stream().transferTo(out);
        }
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 5, data.length));
    }

    @Test
    void the_helper_copies_a_region_to_a_plain_stream_and_stops_where_the_file_ends() throws IOException {
        Path file = root.resolve("plain.bin");
        java.nio.file.Files.write(file, data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            assertThat(RegionSink.write(out, ch, 7, data.length)).isEqualTo(data.length - 7);
        }
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 7, data.length));
    }

    @Test
    void a_region_the_sink_cannot_finish_fails_the_transfer() {
        OutputStream shortSink = new Recording() {
            @Override
            public long writeRegion(FileChannel file, long position, long count) {
                return count - 1;
            }
        };
        assertThatThrownBy(() -> {
            try (BlobRead read = store.get(key, GetOptions.defaults())) {
                read.stream().transferTo(shortSink);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("1 bytes early");
    }

    @Test
    void a_closed_stream_refuses_a_transfer() throws IOException {
        BlobRead read = store.get(key, GetOptions.defaults());
        InputStream in = read.stream();
        in.close();
        assertThatThrownBy(() -> in.transferTo(new Recording())).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }
}
