package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * The media type of an upload, from its first bytes (Apache Tika's magic, {@code tika-core} only, evaluated by
 * {@link MagicTypes}), never
 * from the client alone (decision 0031):
 * <ul>
 *   <li>the client's type is kept only where it refines what the bytes show ({@code text/csv} for bytes
 *       that look like {@code text/plain}, a {@code .docx} type for a ZIP); otherwise the detected type is
 *       stored;
 *   <li>bytes nothing recognises stay {@code application/octet-stream}, whatever the client says;
 *   <li>types a browser would run ({@code text/html}, SVG, XHTML, JavaScript) are stored only when detected.
 * </ul>
 * The type to store is then checked: against {@code STOWAGE_ALLOWED_TYPES}, and an image against the image types
 * accepted and the largest image (spec 004), a declared length at once, an unknown one while it streams (the
 * caller meters it against {@link Detected#maxSize()}).
 *
 * <p>Detection reads at most the first {@value #PEEK} bytes: a replayable content is opened once more for it;
 * a one-shot stream is read through a buffer that hands the same bytes on to the backend, and closed when the
 * content is refused.
 */
final class ContentTypes {

    static final int PEEK = 64 * 1024;
    private static final MediaType OCTET_STREAM = MediaType.OCTET_STREAM;
    private static final Set<String> ACTIVE = Set.of("text/html", "application/xhtml+xml", "image/svg+xml",
            "text/javascript", "application/javascript", "application/ecmascript", "text/ecmascript");

    private static final MimeTypes TIKA = MimeTypes.getDefaultMimeTypes();
    /** Tika's answer for the same bytes, sooner (decision 0069). */
    private static final MagicTypes MAGIC = new MagicTypes(TIKA);

    private final MimeTypes tika = TIKA;
    private final MediaTypeRegistry registry = tika.getMediaTypeRegistry();
    private final List<String> allowed;
    private final List<MediaType> imageTypes;
    private final OptionalLong maxImageSize;

    /**
     * @param allowed media types, or globs such as {@code image/*}; empty allows every type
     * @param imageTypes image media types accepted ({@link #imageTypes}); empty accepts every image type allowed
     * @param maxImageSize the largest image, when smaller than the upload limit is wanted
     */
    ContentTypes(List<String> allowed, List<String> imageTypes, OptionalLong maxImageSize) {
        this.allowed = allowed.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty()).toList();
        this.imageTypes = imageTypes.stream().map(t -> registry.normalize(MediaType.parse(t))).toList();
        this.maxImageSize = maxImageSize;
    }

    ContentTypes(ServiceSettings settings) {
        this(settings.allowedTypes(), settings.imageTypes(), settings.maxImageSize());
    }

    /**
     * The image media types {@code given} names, as {@code SUPPORTED_IMAGE_TYPES} writes them: extensions
     * ({@code jpg}, {@code .png}, {@code svg}) or media types ({@code image/png}, {@code image/*}).
     *
     * @param problems hears each entry that names no image type
     */
    static List<String> imageTypes(List<String> given, java.util.function.Consumer<String> problems) {
        List<String> out = new java.util.ArrayList<>();
        for (String entry : given) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            MediaType type = e.contains("/") ? MediaType.parse(e) : byExtension(e.startsWith(".") ? e.substring(1) : e);
            if (type == null || !type.getType().equals("image")) {
                problems.accept("must list image types as extensions (jpg, png) or media types (image/png), had '"
                        + entry + "'");
            } else if (!out.contains(type.getBaseType().toString())) {
                out.add(type.getBaseType().toString());
            }
        }
        return List.copyOf(out);
    }

    private static MediaType byExtension(String extension) {
        if (!extension.matches("[a-z0-9]+")) {
            return null;
        }
        Metadata name = new Metadata();
        name.set(TikaCoreProperties.RESOURCE_NAME_KEY, "file." + extension);
        try {
            return TIKA.detect(null, name);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The type to store, the content to hand the backend (the same bytes, from the start), and the largest size
     * that content may have (the upload limit, or the image limit for an image).
     */
    record Detected(String contentType, BlobContent content, long maxSize, java.util.Optional<ImageHeaders.Size> size) {
        boolean image() {
            return contentType.startsWith("image/");
        }

        /** {@code options} with the detected type, and an image's width and height in its metadata. */
        SaveOptions applyTo(SaveOptions options) {
            SaveOptions typed = options.withContentType(contentType);
            return size.map(s -> typed.withMetadata(s.metadata())).orElse(typed);
        }
    }

    /** Whether a browser would run content of {@code type} (HTML, SVG, scripts): never shown inline. */
    static boolean active(String type) {
        MediaType parsed = MediaType.parse(type);
        return parsed != null && ACTIVE.contains(parsed.getBaseType().toString());
    }

    /**
     * @param maxUploadSize the owner's upload limit; an image may be held to less
     * @throws StorageException {@code UNSUPPORTED_MEDIA_TYPE} when the type to store is not allowed, or is an image
     *     type not accepted; {@code TOO_LARGE} when an image declares more than the largest image
     */
    Detected detect(BlobContent content, String clientType, long maxUploadSize) {
        String type;
        java.util.Optional<ImageHeaders.Size> size;
        BlobContent same = content;
        InputStream oneShot = null;
        try {
            if (content.replayable()) {
                try (InputStream in = new BufferedInputStream(content.open(), PEEK)) {
                    type = choose(MAGIC.detect(in), clientType);
                    size = dimensions(in, type);
                }
            } else {
                oneShot = new BufferedInputStream(content.open(), PEEK);
                type = choose(MAGIC.detect(oneShot), clientType);
                size = dimensions(oneShot, type);
                same = content.length().isPresent()
                        ? BlobContent.of(oneShot, content.length().getAsLong()) : BlobContent.ofUnknownLength(oneShot);
            }
        } catch (IOException e) {
            throw StorageException.builder(ErrorKind.INVALID_ARGUMENT).cause(e)
                    .message("the content could not be read: " + e.getMessage()).build();
        }
        boolean image = type.startsWith("image/");
        long maxSize = image && maxImageSize.isPresent() ? Math.min(maxUploadSize, maxImageSize.getAsLong()) : maxUploadSize;
        StorageException refusal = refusal(type, image);
        if (refusal == null && image && content.length().isPresent() && content.length().getAsLong() > maxSize) {
            refusal = Uploads.tooLarge("an image of " + content.length().getAsLong() + " bytes", maxSize);
        }
        if (refusal != null) {
            if (oneShot != null) {
                try {
                    oneShot.close();
                } catch (IOException e) {
                    refusal.addSuppressed(e);
                }
            }
            throw refusal;
        }
        return new Detected(type, same, maxSize, size);
    }

    /** An image's size from the header in the first bytes, where a reader finds it there; never SVG's. */
    private static java.util.Optional<ImageHeaders.Size> dimensions(InputStream in, String type) throws IOException {
        return type.startsWith("image/") && !active(type) ? ImageHeaders.peek(in, PEEK) : java.util.Optional.empty();
    }

    /** Why a save of {@code type} is refused whatever its size; null when it is not. */
    private StorageException refusal(String type, boolean image) {
        if (!allowed(type)) {
            return StorageException.builder(ErrorKind.UNSUPPORTED_MEDIA_TYPE)
                    .message("content of type " + type + " is not allowed here (allowed: " + String.join(", ", allowed)
                            + ")").build();
        }
        if (image && !imageTypes.isEmpty() && !acceptedImage(type)) {
            return StorageException.builder(ErrorKind.UNSUPPORTED_MEDIA_TYPE)
                    .message("images of type " + type + " are not accepted here (accepted: " + imageTypes.stream()
                            .map(MediaType::toString).collect(java.util.stream.Collectors.joining(", ")) + ")").build();
        }
        return null;
    }

    private boolean acceptedImage(String type) {
        MediaType parsed = MediaType.parse(type);
        MediaType base = parsed == null ? null : registry.normalize(parsed.getBaseType());
        return base != null && imageTypes.stream().anyMatch(t -> t.getSubtype().equals("*") || t.equals(base)
                || registry.isSpecializationOf(base, t));
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
