package io.stowage.service;

import static io.stowage.ErrorKind.UNSUPPORTED_MEDIA_TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.testkit.Contents;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The stored media type comes from the bytes; the client's type is only a hint. */
abstract class MediaTypeSpec extends ServiceTestBase {

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1};
    static final byte[] ZIP = "PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000".getBytes(StandardCharsets.ISO_8859_1);

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_ALLOWED_TYPES", "image/*, application/pdf, text/*, application/octet-stream");
    }

    String typeOf(byte[] bytes, String clientType) {
        FileRecord saved = service.save("ada", "f", BlobContent.of(bytes),
                SaveOptions.builder().contentType(clientType).build());
        assertThat(store.stat(BlobKey.of(Uploads.keyOf("ada", saved.created(), saved.id(), saved.versionId()).value()))
                .contentType()).as("the backend holds the same type").isEqualTo(saved.contentType());
        return saved.contentType();
    }

    @Test
    void the_type_is_detected_from_the_bytes_not_taken_from_the_client() {
        assertThat(typeOf(PNG, "application/pdf")).isEqualTo("image/png");
        assertThat(typeOf("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), "image/png")).isEqualTo("application/pdf");
    }

    @Test
    void a_client_type_that_refines_what_the_bytes_show_is_kept() {
        byte[] csv = "name,size\nada,3\n".getBytes(StandardCharsets.UTF_8);

        assertThat(typeOf(csv, "text/csv")).isEqualTo("text/csv");
        assertThat(typeOf(csv, "text/plain; charset=utf-8")).isEqualTo("text/plain; charset=utf-8");
    }

    @Test
    void bytes_nothing_recognises_stay_octet_stream_whatever_the_client_says() {
        assertThat(typeOf(new byte[] {1, 2, 3, (byte) 200, 0, 5}, "image/png")).isEqualTo("application/octet-stream");
    }

    @Test
    void html_is_stored_as_html_only_when_the_bytes_are_html() {
        assertThat(typeOf("just words".getBytes(StandardCharsets.UTF_8), "text/html")).isEqualTo("text/plain");
        assertThat(typeOf("<html><body>hi</body></html>".getBytes(StandardCharsets.UTF_8), "text/html"))
                .isEqualTo("text/html");
    }

    @Test
    void a_stream_read_once_keeps_every_byte_after_its_type_is_detected() throws IOException {
        byte[] tail = Contents.bytes(7, 300_000);
        InputStream stream = new SequenceInputStream(new ByteArrayInputStream(PNG), new ByteArrayInputStream(tail));

        FileRecord saved = service.save("ada", "big.png", BlobContent.ofUnknownLength(stream), SaveOptions.defaults());

        assertThat(saved.contentType()).isEqualTo("image/png");
        assertThat(saved.size()).isEqualTo(PNG.length + tail.length);
        try (FileRead read = service.retrieve("ada", saved.id())) {
            byte[] back = read.stream().readAllBytes();
            assertThat(java.util.Arrays.copyOfRange(back, PNG.length, back.length)).isEqualTo(tail);
        }
    }

    @Test
    void a_type_that_is_not_allowed_is_refused_before_anything_is_stored() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream zip = new ByteArrayInputStream(ZIP) {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        assertKind(catchThrowable(() -> service.save("ada", "photo.png", BlobContent.ofUnknownLength(zip),
                SaveOptions.builder().contentType("image/png").build())), UNSUPPORTED_MEDIA_TYPE);

        assertThat(closed).as("the caller's stream is closed").isTrue();
        assertThat(objects("")).isEmpty();
        assertThat(rows("versions")).isZero();
        assertThat(rows("files")).isZero();
    }
}
