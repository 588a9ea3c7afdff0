package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A put's and a part's bytes reach the kernel in writes of at most 128 KiB, whatever the size of the buffer they were
 * read into (decision 0106), all of them, in order, across writes the channel takes only partly.
 */
class WriteSlicesTest {

    @TempDir
    Path dir;

    @Test
    void a_buffer_of_a_mebibyte_and_more_goes_out_in_writes_of_at_most_128_kib_all_of_it_in_order() throws IOException {
        byte[] data = new byte[(1 << 20) + 12_345];
        new Random(7).nextBytes(data);
        Recording channel = new Recording(100_000); // takes at most this much a write, as a channel may
        ByteBuffer bb = ByteBuffer.wrap(data, 5, data.length - 5);

        LocalWriter.writeAll(channel, bb);

        assertThat(channel.sizes).isNotEmpty().allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(LocalWriter.WRITE_SLICE));
        assertThat(channel.offered).contains(LocalWriter.WRITE_SLICE);
        assertThat(channel.written.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 5, data.length));
        assertThat(bb.hasRemaining()).isFalse();
        assertThat(bb.limit()).isEqualTo(data.length);
    }

    @Test
    void a_lent_direct_buffer_is_written_whole_into_a_file() throws IOException {
        byte[] data = new byte[300_001];
        new Random(8).nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        Path file = dir.resolve("f");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            LocalWriter.writeAll(ch, direct);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    /** A channel that records what each write was offered and takes at most {@code most} bytes of it. */
    private static final class Recording extends FileChannel {
        final List<Integer> offered = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private final int most;

        Recording(int most) {
            this.most = most;
        }

        @Override
        public int write(ByteBuffer src) {
            offered.add(src.remaining());
            int n = Math.min(most, src.remaining());
            byte[] taken = new byte[n];
            src.get(taken);
            written.write(taken, 0, n);
            sizes.add(n);
            return n;
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileChannel position(long newPosition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long size() {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileChannel truncate(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void force(boolean metaData) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void implCloseChannel() {
        }
    }
}
