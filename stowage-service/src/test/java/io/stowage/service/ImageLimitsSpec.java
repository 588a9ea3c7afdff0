package io.stowage.service;

import static io.stowage.ErrorKind.TOO_LARGE;
import static io.stowage.ErrorKind.UNSUPPORTED_MEDIA_TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Spec 004's image limits beside the upload limit and the allowed types: {@code MAX_IMAGE_SIZE_MB} (megabytes, as
 * its name says) and {@code SUPPORTED_IMAGE_TYPES} (extensions), checked on the detected type, a declared length
 * before streaming, an unknown one while streaming.
 */
abstract class ImageLimitsSpec extends ServiceTestBase {

    static final int MIB = 1 << 20;
    static final byte[] PNG = MediaTypeSpec.PNG;
    static final byte[] GIF = "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};

    @Override
    Map<String, String> extraSettings() {
        return Map.of("MAX_IMAGE_SIZE_MB", "1", "SUPPORTED_IMAGE_TYPES", "jpg,jpeg,png", "STOWAGE_MAX_UPLOAD_SIZE", "3MiB",
                "STOWAGE_ALLOWED_TYPES", "image/*, text/plain, application/octet-stream");
    }

    /** {@code header} followed by zeros, {@code size} bytes in all. */
    static byte[] sized(byte[] header, int size) {
        return Arrays.copyOf(header, size);
    }

    FileRecord save(String name, BlobContent content) {
        return service.save("ada", name, content, SaveOptions.defaults());
    }

    void assertNothingStored() {
        assertThat(objects("")).isEmpty();
        assertThat(rows("versions")).isZero();
        assertThat(rows("files")).isZero();
        assertThat(service.usage("ada").bytes()).isZero();
        assertThat(reserved("ada")).isZero();
    }

    @Test
    void an_image_may_reach_the_image_limit_and_no_further_while_other_content_goes_to_the_upload_limit() {
        FileRecord image = save("at-limit.png", BlobContent.of(sized(PNG, MIB)));
        FileRecord other = save("big.bin", BlobContent.of(sized(new byte[] {0, 1, 2, 3}, 2 * MIB)));

        Throwable over = catchThrowable(() -> save("over.png", BlobContent.of(sized(PNG, MIB + 1))));

        assertThat(image.contentType()).isEqualTo("image/png");
        assertThat(image.size()).isEqualTo(MIB);
        assertThat(other.size()).isEqualTo(2 * MIB);
        assertKind(over, TOO_LARGE);
        assertThat(over).hasMessageContaining("an image of " + (MIB + 1) + " bytes").hasMessageContaining(
                "limit of " + MIB + " bytes");
        assertThat(rows("files")).isEqualTo(2);
    }

    @Test
    void an_image_of_unknown_length_is_cut_off_where_it_crosses_the_image_limit_and_leaves_nothing() {
        AtomicLong read = new AtomicLong();
        AtomicBoolean closed = new AtomicBoolean();
        int total = 3 * MIB;
        InputStream stream = new SequenceInputStream(new ByteArrayInputStream(PNG),
                new ByteArrayInputStream(new byte[total - PNG.length])) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read.addAndGet(Math.max(n, 0));
                return n;
            }

            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };

        Throwable thrown = catchThrowable(() -> save("stream.png", BlobContent.ofUnknownLength(stream)));

        assertKind(thrown, TOO_LARGE);
        assertThat(thrown).hasMessageContaining("an image of more than " + MIB + " bytes");
        assertThat(read.get()).as("bytes read before the cut").isLessThan(total);
        assertNothingStored();
    }

    @Test
    void a_replace_is_held_to_the_image_limit_too() {
        FileRecord file = save("a.png", BlobContent.of(sized(PNG, 100)));

        assertKind(catchThrowable(() -> service.replace("ada", file.id(), BlobContent.of(sized(PNG, MIB + 1)),
                SaveOptions.defaults())), TOO_LARGE);

        assertThat(service.versions("ada", file.id())).hasSize(1);
        assertThat(objects("ada/")).hasSize(1);
    }

    @Test
    void an_owners_own_upload_limit_below_the_image_limit_holds_images_to_it() {
        service.setQuota("ada", Quota.defaults().withMaxUploadSize(1000));

        assertKind(catchThrowable(() -> save("a.png", BlobContent.of(sized(PNG, 1001)))), TOO_LARGE);
        assertKind(catchThrowable(() -> save("b.png", BlobContent.ofUnknownLength(
                new ByteArrayInputStream(sized(PNG, 1001))))), TOO_LARGE);

        assertThat(save("c.png", BlobContent.of(sized(PNG, 1000))).size()).isEqualTo(1000);
    }

    @Test
    void an_image_type_the_supported_types_leave_out_is_refused_by_its_bytes_not_by_its_name() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream gif = new ByteArrayInputStream(GIF) {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        Throwable refused = catchThrowable(() -> service.save("ada", "photo.png", BlobContent.ofUnknownLength(gif),
                SaveOptions.builder().contentType("image/png").build()));

        assertKind(refused, UNSUPPORTED_MEDIA_TYPE);
        assertThat(refused).hasMessageContaining("image/gif").hasMessageContaining("image/jpeg, image/png");
        assertThat(closed).as("the caller's stream is closed").isTrue();
        assertNothingStored();
        assertThat(save("photo.jpg", BlobContent.of(JPEG)).contentType()).isEqualTo("image/jpeg");
        assertThat(service.save("ada", "fake.gif", BlobContent.ofUtf8("just words"),
                SaveOptions.builder().contentType("image/gif").build()).contentType()).isEqualTo("text/plain");
    }

    @Test
    void the_allowed_types_still_apply_to_everything_that_is_not_an_image() {
        assertKind(catchThrowable(() -> save("page.html", BlobContent.ofUtf8("<html><body>hi</body></html>"))),
                UNSUPPORTED_MEDIA_TYPE);
        assertNothingStored();
    }
}
