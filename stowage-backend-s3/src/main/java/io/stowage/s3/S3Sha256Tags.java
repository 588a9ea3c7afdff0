package io.stowage.s3;

import io.stowage.spi.io.Sha256;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The object tags that hold the SHA-256 of an object uploaded in parts from a stream:
 * {@code stowage-sha256} and {@code stowage-etag}, the ETag of the object the digest belongs to. The
 * tag is put after the upload completed, so a newer object could receive an older writer's tag; the
 * digest is trusted only while the object's ETag is the one the tag names.
 */
final class S3Sha256Tags {

    static final String SHA256 = "stowage-sha256";
    static final String ETAG = "stowage-etag";

    private S3Sha256Tags() {
    }

    static List<Tag> tags(String sha256, String etag) {
        return List.of(Tag.builder().key(SHA256).value(sha256).build(),
                Tag.builder().key(ETAG).value(bare(etag)).build());
    }

    /** The digest the tags hold for the object whose ETag is {@code etag}, if they hold one for it. */
    static Optional<String> sha256(List<Tag> tags, String etag) {
        Map<String, String> m = tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
        String sha = m.get(SHA256);
        if (sha == null || etag == null || !bare(etag).equals(m.get(ETAG)) || !Sha256.isHex(sha)) {
            return Optional.empty();
        }
        return Optional.of(sha);
    }

    /** Tag values cannot hold quotes; ETags come quoted. */
    static String bare(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    /** Whether an ETag is a multipart upload's ({@code "<md5>-<parts>"}), the only kind that may have such tags. */
    static boolean multipart(String etag) {
        return etag != null && bare(etag).contains("-");
    }
}
