package io.stowage.service;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * An image's width and height as its header declares them, read through the ImageIO reader for its format
 * (TwelveMonkeys' for WebP) without decoding a pixel: what is recorded in a saved image's metadata
 * ({@value #WIDTH}, {@value #HEIGHT}) and what is checked against the pixel limit before a thumbnail decodes it.
 */
final class ImageHeaders {

    static final String WIDTH = "image_width";
    static final String HEIGHT = "image_height";

    private ImageHeaders() {
    }

    record Size(int width, int height) {
        long pixels() {
            return (long) width * height;
        }

        Map<String, String> metadata() {
            return Map.of(WIDTH, Integer.toString(width), HEIGHT, Integer.toString(height));
        }
    }

    /** The size the header in {@code in} declares; empty when no reader knows the format or the header is cut. */
    static Optional<Size> read(ImageInputStream in) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            return Optional.empty();
        }
        ImageReader reader = readers.next();
        try {
            // seekForwardOnly, ignoreMetadata: the header alone
            reader.setInput(in, true, true);
            return Optional.of(new Size(reader.getWidth(0), reader.getHeight(0)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } finally {
            reader.dispose();
        }
    }

    /**
     * The size declared in the first {@code limit} bytes of {@code in}, which must support mark and reset and is
     * left where it was.
     */
    static Optional<Size> peek(InputStream in, int limit) throws IOException {
        in.mark(limit);
        byte[] prefix;
        try {
            prefix = in.readNBytes(limit);
        } finally {
            in.reset();
        }
        try (ImageInputStream image = new MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(prefix))) {
            return read(image);
        }
    }
}
