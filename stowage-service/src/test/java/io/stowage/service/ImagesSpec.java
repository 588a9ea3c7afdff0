package io.stowage.service;

import static io.stowage.ErrorKind.NOT_FOUND;
import static io.stowage.ErrorKind.TOO_LARGE;
import static io.stowage.ErrorKind.UNSUPPORTED;
import static io.stowage.ErrorKind.UNSUPPORTED_MEDIA_TYPE;
import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Thumbnails (spec 004, decision 0055): made on demand from JPEG (EXIF orientation applied), PNG and WebP, cached per
 * version, refused for SVG and for a header that claims too many pixels, and checked for the owner like any read.
 */
abstract class ImagesSpec extends ServiceTestBase {

    @Override
    Map<String, String> extraSettings() {
        return Map.of("IMAGE_STORAGE_PATH", home.resolve("variants").toString(), "IMAGE_THUMBNAIL_SIZE", "32");
    }

    FileRecord saveImage(String owner, String name, byte[] bytes) {
        return service.save(owner, name, BlobContent.of(bytes), SaveOptions.defaults());
    }

    static BufferedImage decoded(ImageVariants.Thumbnail t) throws Exception {
        try (InputStream in = t.open()) {
            return Images.read(in.readAllBytes());
        }
    }

    @Test
    void a_png_gets_a_png_thumbnail_of_the_default_size_and_its_dimensions_are_in_its_metadata() throws Exception {
        FileRecord png = saveImage("ada", "wide.png", Images.plain("png", 640, 320, Color.RED));

        ImageVariants.Thumbnail t = service.images().thumbnail("ada", png.id(), OptionalInt.empty());

        assertThat(png.metadata()).containsEntry("image_width", "640").containsEntry("image_height", "320");
        assertThat(t.contentType()).isEqualTo("image/png");
        BufferedImage image = decoded(t);
        assertThat(image.getWidth()).isEqualTo(32);
        assertThat(image.getHeight()).isEqualTo(16);
        assertThat(new Color(image.getRGB(8, 8))).isEqualTo(Color.RED);
        assertThat(t.path()).startsWith(home.resolve("variants"));
        // the variant is a derived object under the owner's prefix, in nobody's usage and no catalog row
        assertThat(objects("")).extracting(o -> o.key().value()).hasSize(2)
                .contains("ada/variants/" + png.id() + "/" + png.versionId() + "/32.png");
        assertThat(service.usage("ada").bytes()).isEqualTo(png.size());
        assertThat(service.usage("ada").files()).isEqualTo(1);
        assertThat(rows("versions")).isEqualTo(1);
    }

    @Test
    void a_jpeg_is_turned_as_its_exif_orientation_says() throws Exception {
        FileRecord jpeg = saveImage("ada", "photo.jpg", Images.jpegWithOrientation(400, 200, 6));

        ImageVariants.Thumbnail t = service.images().thumbnail("ada", jpeg.id(), OptionalInt.of(100));

        assertThat(t.contentType()).isEqualTo("image/jpeg");
        BufferedImage image = decoded(t);
        assertThat(image.getWidth()).isEqualTo(50);
        assertThat(image.getHeight()).isEqualTo(100);
    }

    @Test
    void a_webp_is_read_and_its_thumbnail_is_a_png() throws Exception {
        FileRecord webp = saveImage("ada", "dot.webp", Images.WEBP);

        ImageVariants.Thumbnail t = service.images().thumbnail("ada", webp.id(), OptionalInt.of(4));

        assertThat(webp.contentType()).isEqualTo("image/webp");
        assertThat(webp.metadata()).containsEntry("image_width", "1").containsEntry("image_height", "1");
        assertThat(t.contentType()).isEqualTo("image/png");
        assertThat(decoded(t).getWidth()).isEqualTo(4);
    }

    @Test
    void a_header_claiming_50000_by_50000_pixels_is_refused_before_decoding() {
        FileRecord bomb = saveImage("ada", "bomb.png", Images.pngClaiming(50_000, 50_000));

        Throwable refused = catchThrowable(() -> service.images().thumbnail("ada", bomb.id(), OptionalInt.empty()));

        assertKind(refused, TOO_LARGE);
        assertThat(refused).hasMessageContaining("50000x50000");
        assertThat(bomb.metadata()).containsEntry("image_width", "50000");
    }

    @Test
    void svg_is_never_rendered_and_never_shown_inline() {
        FileRecord svg = saveImage("ada", "evil.svg", Images.SVG);

        Throwable refused = catchThrowable(() -> service.images().thumbnail("ada", svg.id(), OptionalInt.empty()));

        assertThat(svg.contentType()).startsWith("image/svg+xml");
        assertKind(refused, UNSUPPORTED_MEDIA_TYPE);
        assertThat(ContentDisposition.inline(svg)).startsWith("attachment;");
        assertThat(svg.metadata()).doesNotContainKey("image_width");
    }

    @Test
    void a_new_version_makes_a_new_thumbnail_and_drops_the_old_one() throws Exception {
        FileRecord first = saveImage("ada", "c.png", Images.plain("png", 64, 64, Color.RED));
        ImageVariants.Thumbnail red = service.images().thumbnail("ada", first.id(), OptionalInt.of(8));
        ImageVariants.Thumbnail again = service.images().thumbnail("ada", first.id(), OptionalInt.of(8));

        service.replace("ada", first.id(), BlobContent.of(Images.plain("png", 64, 64, Color.BLUE)), SaveOptions.defaults());
        ImageVariants.Thumbnail blue = service.images().thumbnail("ada", first.id(), OptionalInt.of(8));

        assertThat(again.path()).isEqualTo(red.path());
        assertThat(Files.exists(red.path())).isFalse();
        assertThat(blue.path()).isNotEqualTo(red.path());
        assertThat(new Color(decoded(blue).getRGB(4, 4))).isEqualTo(Color.BLUE);
        assertThat(blue.etag()).isNotEqualTo(red.etag());
        // an erasure takes the owner's cached variants with everything else
        service.eraseOwner("ada");
        assertThat(home.resolve("variants").resolve("ada")).doesNotExist();
    }

    @Test
    void another_owner_and_a_deleted_file_are_not_found_and_a_link_reaches_the_version_it_names() throws Exception {
        FileRecord png = saveImage("ada", "p.png", Images.plain("png", 20, 10, Color.RED));
        DownloadLink link = service.downloadUrl("ada", png.id(), Duration.ofMinutes(5), LinkOptions.inline());

        Throwable other = catchThrowable(() -> service.images().thumbnail("bob", png.id(), OptionalInt.empty()));
        ImageVariants.Thumbnail linked = service.images().thumbnailByLink(link.token(), null, OptionalInt.of(10));
        int linkedWidth = decoded(linked).getWidth();
        service.delete("ada", png.id());
        Throwable deleted = catchThrowable(() -> service.images().thumbnail("ada", png.id(), OptionalInt.empty()));
        Throwable deletedByLink = catchThrowable(() -> service.images().thumbnailByLink(link.token(), null,
                OptionalInt.empty()));

        assertKind(other, NOT_FOUND);
        assertThat(linkedWidth).isEqualTo(10);
        assertKind(deleted, NOT_FOUND);
        assertThat(deletedByLink).isInstanceOf(io.stowage.StorageException.class);
        assertThat(Files.exists(linked.path())).isFalse();
    }

    @Test
    void a_size_out_of_bounds_and_a_file_that_is_no_image_are_refused() {
        FileRecord text = save("ada", "t.txt", "not an image");
        FileRecord png = saveImage("ada", "p.png", Images.plain("png", 20, 10, Color.RED));

        assertKind(catchThrowable(() -> service.images().thumbnail("ada", png.id(), OptionalInt.of(0))), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> service.images().thumbnail("ada", png.id(), OptionalInt.of(5000))), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> service.images().thumbnail("ada", text.id(), OptionalInt.empty())),
                UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void with_image_processing_off_thumbnails_are_unsupported() {
        FileRecord png = saveImage("ada", "p.png", Images.plain("png", 20, 10, Color.RED));
        service.close();
        Map<String, String> env = new HashMap<>(settingsMap());
        env.put("ENABLE_IMAGE_PROCESSING", "false");
        service = StorageService.open(settingsOf(env, home), store);

        assertKind(catchThrowable(() -> service.images().thumbnail("ada", png.id(), OptionalInt.empty())), UNSUPPORTED);
    }
}
