package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.MetadataEditor;
import io.stowage.spi.BackendConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Server-side encryption on every write, against S3Mock (s3proxy refuses SSE headers). */
@ExtendWith(S3MockServer.Extension.class)
class S3SseTest {

    private final S3MockServer server;

    S3SseTest(S3MockServer server) {
        this.server = server;
    }

    @Test
    void a_configured_sse_goes_on_every_write_checked_on_the_requests() {
        CapturedRequests captured = new CapturedRequests();
        Map<String, String> s = new HashMap<>(server.settings());
        s.put("sse", "AES256");
        s.put("part_size", "5MiB");
        s.put("versioning", "false");
        try (S3BlobStore store = new S3BlobStore(S3BlobStoreConfig.from(new BackendConfig("sse", "minio", s,
                Path.of("target"))), List.of(captured))) {
            store.put(BlobKey.of("small"), BlobContent.ofUtf8("s"));
            store.put(BlobKey.of("large"), BlobContent.ofUnknownLength(new java.io.ByteArrayInputStream(new byte[11 << 20])));
            store.copy(BlobKey.of("small"), BlobKey.of("copied"));
            store.feature(MetadataEditor.class).orElseThrow().setMetadata(BlobKey.of("copied"), Map.of("a", "b"));
            assertThat(store.stat(BlobKey.of("large")).sha256()).isPresent();
        }
        List<CapturedRequests.Sent> writes = captured.all().stream()
                .filter(r -> r.http().method().name().equals("PUT") && !r.hasQuery("partNumber") && !r.hasQuery("tagging")
                        && !r.http().encodedPath().matches("/[^/]+/?")
                        || r.http().method().name().equals("POST") && r.hasQuery("uploads"))
                .toList();
        assertThat(writes).as("single put, multipart create, copy, metadata edit").hasSize(4);
        assertThat(captured.all()).as("the SHA-256 of the streamed upload went into tags, not a copy of the object")
                .anyMatch(r -> r.hasQuery("tagging") && r.http().method().name().equals("PUT"));
        assertThat(writes).allSatisfy(w -> assertThat(w.header("x-amz-server-side-encryption"))
                .as("%s %s", w.http().method(), w.http().encodedPath()).isEqualTo("AES256"));
    }
}
