package io.stowage.service;

import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import net.coobird.thumbnailator.Thumbnails;
import net.coobird.thumbnailator.util.exif.ExifFilterUtils;
import net.coobird.thumbnailator.util.exif.ExifUtils;
import net.coobird.thumbnailator.util.exif.Orientation;

/**
 * Thumbnails of image files (spec 004, decisions 0055 and 0072), made on demand and kept as derived objects in the
 * storage ({@link VariantStore}: {@code <owner>/variants/<file id>/<version id>/<size>.<png|jpg>}), with this node's
 * disk under {@code images.storage_path} as a cache in front. Derived from one version, so a new version is a new
 * variant; never counted against a quota, never a catalog row.
 *
 * <ul>
 *   <li>The catalog is asked first, every time: a file gone (erased, purged, deleted, another owner's) answers
 *       {@code NOT_FOUND} and drops what this node had cached of it, before any cached byte is served.
 *   <li>The original is copied to a temporary file (streamed), its header read for the pixel count, and an image
 *       over {@code images.max_pixels} refused ({@code TOO_LARGE}) before a pixel is decoded.
 *   <li>The image is decoded with subsampling (memory follows the thumbnail, not the original), then Thumbnailator
 *       scales it and turns it as its EXIF orientation says; a JPEG gives a JPEG, anything else a PNG.
 *   <li>SVG is never rendered ({@code UNSUPPORTED_MEDIA_TYPE}), nor is any type without an ImageIO reader.
 *   <li>At most as many thumbnails are made at once as there are processors.
 * </ul>
 * Thread-safe.
 */
public final class ImageVariants {

    private final ImageSettings settings;
    private final CatalogDatabase catalog;
    private final Guards guards;
    private final Placement placement;
    private final LinkDesk links;
    private final VariantStore store;
    private final AtomicLong rendered = new AtomicLong();
    private final Semaphore making = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    ImageVariants(ImageSettings settings, CatalogDatabase catalog, Guards guards, Placement placement, LinkDesk links,
                  VariantStore store) {
        this.settings = settings;
        this.store = store;
        this.catalog = catalog;
        this.guards = guards;
        this.placement = placement;
        this.links = links;
    }

    /** A thumbnail on disk: read it with {@link #open()}. */
    public record Thumbnail(FileRecord source, int size, String contentType, Path path, long length) {
        /**
         * Opens the cached bytes.
         *
         * @throws StorageException {@code NOT_FOUND} when a change to the file dropped the variant meanwhile
         */
        public InputStream open() throws IOException {
            try {
                return Files.newInputStream(path);
            } catch (java.nio.file.NoSuchFileException e) {
                throw Guards.fileNotFound(source.id());
            }
        }

        /** An entity tag of this variant: the version's and the size's. */
        public String etag() {
            return "\"" + source.versionId() + "-" + size + "\"";
        }
    }

    /**
     * The thumbnail of the current version of {@code owner}'s file, its longer side {@code size} pixels
     * ({@code images.thumbnail_size} when empty).
     *
     * @throws StorageException {@code NOT_FOUND} as {@link StorageService#info}, {@code INVALID_ARGUMENT} for a size
     *     out of 1 to {@code images.max_thumbnail_size}, {@code UNSUPPORTED_MEDIA_TYPE} for a file that is not an
     *     image this service renders (SVG never is), {@code TOO_LARGE} for an image of more pixels than
     *     {@code images.max_pixels}, {@code UNSUPPORTED} when image processing is off
     */
    public Thumbnail thumbnail(String owner, String fileId, OptionalInt size) {
        Names.owner(owner);
        int side = side(size);
        FileCatalog.Entry entry;
        try {
            entry = catalog.read("thumbnail", h -> guards.existing(h, owner, fileId));
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                store.dropLocal(owner, fileId, ""); // erased or purged, maybe by another node: nothing cached stays
            }
            throw e;
        }
        return variant(entry, side);
    }

    /**
     * Joins the service: hears its file events (stale variants dropped) and adds the {@code image-cache} job, which
     * every node runs on its own cache.
     */
    void attach(EventOutbox events, Maintenance maintenance, Duration tempMaxAge) {
        events.addListener(this::heard);
        maintenance.register(new ImageCacheJob(store, catalog, settings.cacheMaxBytes(), tempMaxAge), Duration.ofHours(1));
    }

    /** How many thumbnails this service has rendered (decoded and scaled) since it opened; a hit renders none. */
    public long rendered() {
        return rendered.get();
    }

    /**
     * The thumbnail of the version a signed link names, for {@code user} (null for a link bound to nobody).
     *
     * @throws LinkRefusedException as {@link StorageService#openLink(String, String)}
     */
    public Thumbnail thumbnailByLink(String token, String user, OptionalInt size) {
        int side = side(size);
        return variant(links.linked(token, user), side);
    }

    private int side(OptionalInt size) {
        if (!settings.enabled()) {
            throw StorageException.builder(ErrorKind.UNSUPPORTED).operation("thumbnail")
                    .message("image processing is off (images.enabled, ENABLE_IMAGE_PROCESSING)").build();
        }
        int side = size.orElse(settings.thumbnailSize());
        if (side < 1 || side > settings.maxThumbnailSize()) {
            throw StorageException.invalidArgument("a thumbnail size is 1 to " + settings.maxThumbnailSize() + ", was "
                    + side);
        }
        return side;
    }

    private Thumbnail variant(FileCatalog.Entry entry, int side) {
        FileRecord file = entry.record();
        String type = file.contentType();
        if (ContentTypes.active(type)) {
            throw unsupported("an image of type " + type + " is never rendered");
        }
        String base = type.contains(";") ? type.substring(0, type.indexOf(';')).trim() : type;
        if (!base.startsWith("image/") || !ImageIO.getImageReadersByMIMEType(base).hasNext()) {
            throw unsupported("no thumbnail is made of " + type);
        }
        boolean jpeg = base.equals("image/jpeg");
        String contentType = jpeg ? "image/jpeg" : "image/png";
        String name = side + (jpeg ? ".jpg" : ".png");
        Optional<Path> found = store.find(file.owner(), file.id(), file.versionId(), name);
        if (found.isPresent()) {
            return thumbnail(file, side, contentType, found.get());
        }
        Path cached;
        making.acquireUninterruptibly();
        try {
            cached = store.keep(file.owner(), file.id(), file.versionId(), name, contentType, make(entry, side, jpeg));
        } catch (IOException e) {
            throw StorageException.builder(ErrorKind.UNSUPPORTED_MEDIA_TYPE).operation("thumbnail").cause(e)
                    .message("the image could not be read: " + e.getMessage()).build();
        } finally {
            making.release();
        }
        store.dropLocal(file.owner(), file.id(), file.versionId());
        return thumbnail(file, side, contentType, cached);
    }

    /** Renders the thumbnail into a temporary file and returns it. */
    private Path make(FileCatalog.Entry entry, int side, boolean jpeg) throws IOException {
        FileRecord file = entry.record();
        Path tmp = store.tmpDir();
        Path original = Files.createTempFile(tmp, "original-", ".img");
        Path made = Files.createTempFile(tmp, "variant-", jpeg ? ".jpg" : ".png");
        boolean done = false;
        try {
            try (BlobRead read = placement.get(file.backend(), BlobKey.of(entry.blobKey()), GetOptions.defaults());
                 InputStream in = read.stream()) {
                Files.copy(in, original, StandardCopyOption.REPLACE_EXISTING);
            }
            try (ImageInputStream in = new FileImageInputStream(original.toFile());
                 OutputStream out = Files.newOutputStream(made)) {
                render(in, side, jpeg, out);
            }
            rendered.incrementAndGet();
            done = true;
            return made;
        } finally {
            Files.deleteIfExists(original);
            if (!done) {
                Files.deleteIfExists(made);
            }
        }
    }

    /**
     * Reads the header, refuses too many pixels, then decodes every {@code step}th pixel of every {@code step}th row
     * (the decoded image at least twice the thumbnail, so memory follows the thumbnail, not the original), and
     * scales and turns it as the EXIF orientation says.
     */
    private void render(ImageInputStream in, int side, boolean jpeg, OutputStream out) throws IOException {
        java.util.Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new IOException("no image reader knows this content");
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, false);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if ((long) width * height > settings.maxPixels()) {
                throw StorageException.builder(ErrorKind.TOO_LARGE).operation("thumbnail")
                        .message("an image of " + width + "x" + height + " pixels is larger than the limit of "
                                + settings.maxPixels() + " pixels (images.max_pixels)").build();
            }
            Orientation orientation = jpeg ? orientation(reader) : null;
            ImageReadParam param = reader.getDefaultReadParam();
            int step = Math.max(1, Math.max(width, height) / (2 * side));
            param.setSourceSubsampling(step, step, 0, 0);
            BufferedImage decoded = reader.read(0, param);
            Thumbnails.Builder<BufferedImage> thumb = Thumbnails.of(decoded).size(side, side)
                    .outputFormat(jpeg ? "jpg" : "png");
            if (orientation != null && orientation != Orientation.TOP_LEFT) {
                thumb.addFilter(ExifFilterUtils.getFilterForOrientation(orientation));
            }
            thumb.toOutputStream(out);
        } finally {
            reader.dispose();
        }
    }

    /** The EXIF orientation of the image {@code reader} reads; none when it has none or it cannot be read. */
    private static Orientation orientation(ImageReader reader) {
        try {
            return ExifUtils.getExifOrientation(reader, 0);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Thumbnail thumbnail(FileRecord file, int side, String contentType, Path path) {
        try {
            return new Thumbnail(file, side, contentType, path, Files.size(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Drops variants a change made stale: this node's cached ones of every other version of a file a version was
     * saved to, of a file deleted or purged; and a purged file's derived objects in the storage.
     */
    void heard(FileEvent event) {
        if (event.owner().isEmpty() || event.fileId().isEmpty() || !Ids.wellFormed(event.fileId())
                || !io.stowage.service.auth.OwnerIds.valid(event.owner())) {
            return;
        }
        switch (event.type()) {
            case FileEvent.SAVED -> store.dropLocal(event.owner(), event.fileId(),
                    event.data().getOrDefault("version_id", ""));
            case FileEvent.DELETED -> store.dropLocal(event.owner(), event.fileId(), "");
            case FileEvent.PURGED -> {
                store.dropLocal(event.owner(), event.fileId(), "");
                store.deleteDerived(event.owner(), event.fileId());
            }
            default -> {
                // nothing cached changes
            }
        }
    }

    /** Drops this node's cached variants of {@code owner}'s files (an erasure, which took the derived objects). */
    void forgetOwner(String owner) {
        store.dropLocalOwner(owner);
    }

    private static StorageException unsupported(String why) {
        return StorageException.builder(ErrorKind.UNSUPPORTED_MEDIA_TYPE).operation("thumbnail").message(why).build();
    }
}
