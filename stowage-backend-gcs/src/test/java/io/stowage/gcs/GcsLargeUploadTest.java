package io.stowage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Memory stays bounded whatever the size: a 300 MiB upload of unknown length from a JVM with a 64 MiB
 * heap, to a request-capturing server (the SDK's in-memory fake would hold the whole object itself).
 */
class GcsLargeUploadTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void a_300_mib_unknown_length_upload_goes_up_in_eight_mib_chunks_from_a_64_mib_heap() throws Exception {
        try (CapturingGcsServer server = new CapturingGcsServer()) {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(javaBin, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                    LargeUploadChild.class.getName(), server.endpoint(), "300").redirectErrorStream(true).start();
            String out;
            try (InputStream in = child.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(child.exitValue()).as(out).isZero();
            String[] reported = out.strip().lines().reduce((a, b) -> b).orElseThrow().split(" ");
            assertThat(reported[0]).isEqualTo(String.valueOf(300 * MIB));
            String[] received = server.resumableUpload().split(" ");
            assertThat(received[0]).as("bytes the server received").isEqualTo(reported[0]);
            assertThat(received[1]).as("the digest the put reported is that of what the server received")
                    .isEqualTo(reported[1]);
            var chunks = server.requests("PUT", "/upload/session/");
            assertThat(chunks).hasSize(38);
            assertThat(chunks).allSatisfy(c -> assertThat(c.bodyLength()).isLessThanOrEqualTo(8 * MIB));
            assertThat(chunks.getLast().header("Content-Range")).endsWith("/" + 300 * MIB);
            assertThat(server.last("PATCH", "/storage/v1/b/captured/o/").body()).contains(reported[1]);
        }
    }
}
