package io.stowage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ForwardingBlobStore;
import io.stowage.GetOptions;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.spi.io.RegionSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend stream that hands a file's region to a {@link RegionSink} keeps doing so through the whole layer
 * stack, and the metrics layer counts the region's bytes once (decision 0067); a plain stream still gets them.
 */
class RegionThroughLayersTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BlobKey key = BlobKey.of("k");

    /** A stream over a file that, like the local backend's, gives its region to a sink that takes one. */
    private static final class FileStream extends InputStream {
        private final FileChannel channel;
        private long position;

        FileStream(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            ByteBuffer one = ByteBuffer.allocate(1);
            int n = channel.read(one, position);
            if (n <= 0) {
                return -1;
            }
            position++;
            return one.get(0) & 0xff;
        }

        @Override
        public long transferTo(OutputStream out) throws IOException {
            long n = RegionSink.write(out, channel, position, channel.size() - position);
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Records regions and reads them, as a server writing them would. */
    private static final class Recording extends OutputStream implements RegionSink {
        final List<Long> counts = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            throw new AssertionError("a region sink was written byte by byte");
        }

        @Override
        public long writeRegion(FileChannel file, long position, long count) throws IOException {
            counts.add(count);
            ByteBuffer buffer = ByteBuffer.allocate((int) count);
            while (buffer.hasRemaining() && file.read(buffer, position + buffer.position()) >= 0) {
                // read the region
            }
            bytes.write(buffer.array(), 0, buffer.position());
            return buffer.position();
        }
    }

    private BlobStore layered(byte[] data) throws IOException {
        Path file = Files.write(dir.resolve("data.bin"), data);
        MemoryBlobStore memory = new MemoryBlobStore("m1");
        memory.put(key, BlobContent.of(data));
        BlobStore fileBacked = new ForwardingBlobStore(memory) {
            @Override
            public BlobRead get(BlobKey k, GetOptions options) {
                BlobRead read = super.get(k, options);
                read.close();
                try {
                    return read.withStream(new FileStream(FileChannel.open(file, StandardOpenOption.READ)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        return LayerStack.wrap(fileBacked, LayerSettings.defaults(), registry);
    }

    private double bytesOut() {
        return registry.get(MetricsLayer.BYTES).tags("backend", "m1", "direction", "out").counter().count();
    }

    @Test
    void a_region_passes_every_layer_whole_and_is_counted_once() throws IOException {
        byte[] data = new byte[200_000];
        new Random(1).nextBytes(data);
        BlobStore store = layered(data);
        Recording sink = new Recording();
        try (BlobRead read = store.get(key)) {
            assertThat(read.stream().transferTo(sink)).isEqualTo(data.length);
        }
        assertThat(sink.counts).containsExactly((long) data.length);
        assertThat(sink.bytes.toByteArray()).isEqualTo(data);
        assertThat(bytesOut()).isEqualTo(data.length);
    }

    @Test
    void a_plain_stream_gets_the_bytes_copied_and_counted() throws IOException {
        byte[] data = new byte[(1 << 20) * 2 + 3];
        new Random(2).nextBytes(data);
        BlobStore store = layered(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BlobRead read = store.get(key)) {
            assertThat(read.stream().transferTo(out)).isEqualTo(data.length);
        }
        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(bytesOut()).isEqualTo(data.length);
    }
}
