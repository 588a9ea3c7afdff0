package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * The media type of an upload, from its first bytes (Apache Tika's magic, {@code tika-core} only), never
 * from the client alone (decision 0031):
 * <ul>
 *   <li>the client's type is kept only where it refines what the bytes show ({@code text/csv} for bytes
 *       that look like {@code text/plain}, a {@code .docx} type for a ZIP); otherwise the detected type is
 *       stored;
 *   <li>bytes nothing recognises stay {@code application/octet-stream}, whatever the client says;
 *   <li>types a browser would run ({@code text/html}, SVG, XHTML, JavaScript) are stored only when detected.
 * </ul>
 * Detection reads at most the first {@value #PEEK} bytes: a replayable content is opened once more for it;
 * a one-shot stream is read through a buffer that hands the same bytes on to the backend.
 */
final class ContentTypes {

    static final int PEEK = 64 * 1024;
    private static final MediaType OCTET_STREAM = MediaType.OCTET_STREAM;
    private static final Set<String> ACTIVE = Set.of("text/html", "application/xhtml+xml", "image/svg+xml",
            "text/javascript", "application/javascript", "application/ecmascript", "text/ecmascript");

    private final MimeTypes tika = MimeTypes.getDefaultMimeTypes();
    private final MediaTypeRegistry registry = tika.getMediaTypeRegistry();
    private final List<String> allowed;

    /** @param allowed media types, or globs such as {@code image/*}; empty allows every type */
    ContentTypes(List<String> allowed) {
        this.allowed = allowed.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty()).toList();
    }

    /** The type to store, and the content to hand the backend (the same bytes, from the start). */
    record Detected(String contentType, BlobContent content) {
    }

    /**
     * @throws StorageException {@code UNSUPPORTED_MEDIA_TYPE} when the type to store is not allowed
     */
    Detected detect(BlobContent content, String clientType) {
        Detected detected;
        try {
            if (content.replayable()) {
                try (InputStream in = new BufferedInputStream(content.open(), PEEK)) {
                    detected = new Detected(choose(tika.detect(in, new Metadata()), clientType), content);
                }
            } else {
                InputStream in = new BufferedInputStream(content.open(), PEEK);
                MediaType type = tika.detect(in, new Metadata());
                BlobContent same = content.length().isPresent()
                        ? BlobContent.of(in, content.length().getAsLong()) : BlobContent.ofUnknownLength(in);
                detected = new Detected(choose(type, clientType), same);
                if (!allowed(detected.contentType())) {
                    in.close();
                }
            }
        } catch (IOException e) {
            throw StorageException.builder(ErrorKind.INVALID_ARGUMENT).cause(e)
                    .message("the content could not be read: " + e.getMessage()).build();
        }
        if (!allowed(detected.contentType())) {
            throw StorageException.builder(ErrorKind.UNSUPPORTED_MEDIA_TYPE)
                    .message("content of type " + detected.contentType() + " is not allowed here (allowed: "
                            + String.join(", ", allowed) + ")").build();
        }
        return detected;
    }

    private String choose(MediaType detected, String clientType) {
        MediaType client = MediaType.parse(clientType);
        if (client == null || detected.equals(OCTET_STREAM)) {
            return detected.toString();
        }
        MediaType base = client.getBaseType();
        boolean refines = base.equals(detected) || registry.isSpecializationOf(base, detected);
        return refines && (base.equals(detected) || !ACTIVE.contains(base.toString())) ? clientType : detected.toString();
    }

    private boolean allowed(String contentType) {
        if (allowed.isEmpty()) {
            return true;
        }
        MediaType type = MediaType.parse(contentType);
        String base = type == null ? contentType : type.getBaseType().toString();
        for (String pattern : allowed) {
            if (pattern.equals(base) || pattern.equals("*/*")
                    || (pattern.endsWith("/*") && base.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
