package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A region given to a response that is not Jetty's own stream still arrives whole (over HTTP, Jetty's stream
 * takes the region's buffers: the content specs cover those answers byte for byte).
 */
class ResponseSinkTest {

    @TempDir
    Path dir;

    @Test
    void a_region_reaches_a_plain_stream_whole_and_stops_at_the_end_of_the_file() throws IOException {
        byte[] data = new byte[(1 << 20) + 70_000];
        new Random(3).nextBytes(data);
        Path file = Files.write(dir.resolve("f.bin"), data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResponseSink sink = new ResponseSink(out);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            assertThat(sink.writeRegion(ch, 100, 65_536)).isEqualTo(65_536);
            assertThat(sink.writeRegion(ch, 200_000, data.length)).isEqualTo(data.length - 200_000);
        }
        byte[] expected = new byte[65_536 + data.length - 200_000];
        System.arraycopy(data, 100, expected, 0, 65_536);
        System.arraycopy(data, 200_000, expected, 65_536, data.length - 200_000);
        assertThat(out.toByteArray()).isEqualTo(expected);
        sink.write(Arrays.copyOf(data, 3), 0, 3);
        assertThat(out.size()).isEqualTo(expected.length + 3);
    }
}
