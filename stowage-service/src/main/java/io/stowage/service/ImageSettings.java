package io.stowage.service;

import io.stowage.config.ConfigSection;
import io.stowage.config.SettingsSection;
import io.stowage.config.StowageConfig;
import io.stowage.spi.SettingSpec;
import io.stowage.spi.SettingSpec.Kind;
import java.nio.file.Path;
import java.util.List;

/**
 * Image variants (decision 0055), the {@code images:} section with spec 004's names beside the {@code STOWAGE_*} ones:
 *
 * <pre>
 * images: { enabled: true, thumbnail_size: 300, max_thumbnail_size: 1024, storage_path: ./storage/images,
 *           max_pixels: 100000000, cache_max_bytes: 1GiB }
 * </pre>
 * <ul>
 *   <li>{@code enabled} / {@code ENABLE_IMAGE_PROCESSING} (default true): off, thumbnails are {@code UNSUPPORTED}.
 *   <li>{@code thumbnail_size} / {@code IMAGE_THUMBNAIL_SIZE} (default 300): the longer side of a thumbnail when
 *       the caller names no size; {@code max_thumbnail_size} (default 1024) the largest a caller may name.
 *   <li>{@code storage_path} / {@code IMAGE_STORAGE_PATH} (default {@code STOWAGE_HOME/images}): where variants are
 *       cached on this node's local disk, in front of the derived objects in the storage (decision 0072).
 *   <li>{@code cache_max_bytes} / {@code STOWAGE_IMAGE_CACHE_MAX_BYTES} (default 1 GiB): the most that cache holds
 *       after an {@code image-cache} run, the least recently used variants going first.
 *   <li>{@code max_pixels} / {@code STOWAGE_IMAGE_MAX_PIXELS} (default 100 million): the largest image, in pixels
 *       as its header declares them, that is decoded at all (a decompression bomb is refused before decoding).
 * </ul>
 */
public record ImageSettings(boolean enabled, int thumbnailSize, int maxThumbnailSize, Path storagePath, long maxPixels,
                            long cacheMaxBytes) {

    static final String SECTION = "images";

    static ImageSettings from(StowageConfig config, List<String> problems) {
        ConfigSection s = config.section(SECTION);
        boolean enabled = s.get("enabled").isEmpty() || s.getBoolean("enabled");
        int size = s.get("thumbnail_size").isPresent() ? s.getInt("thumbnail_size") : 300;
        int max = s.get("max_thumbnail_size").isPresent() ? s.getInt("max_thumbnail_size") : 1024;
        long pixels = s.get("max_pixels").isPresent() ? s.getLong("max_pixels") : 100_000_000L;
        if (size < 1 || size > max) {
            problems.add(s.label("thumbnail_size") + ": must be 1 to images.max_thumbnail_size (" + max + "), was " + size);
        }
        if (max < 1 || max > 4096) {
            problems.add(s.label("max_thumbnail_size") + ": must be 1 to 4096, was " + max);
        }
        long cache = s.get("cache_max_bytes").isPresent() ? s.getSize("cache_max_bytes") : 1L << 30;
        if (cache < 0) {
            problems.add(s.label("cache_max_bytes") + ": must not be negative, was " + cache);
        }
        if (pixels < 1) {
            problems.add(s.label("max_pixels") + ": must be positive, was " + pixels);
        }
        Path path = s.get("storage_path").filter(v -> !v.isBlank()).map(Path::of)
                .orElse(config.home().resolve("images")).toAbsolutePath();
        return new ImageSettings(enabled, size, max, path, pixels, cache);
    }


    /** The {@code images:} section, declared to the configuration. */
    public static final class Section implements SettingsSection {
        @Override
        public String name() {
            return SECTION;
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.of("enabled", Kind.BOOLEAN).env("STOWAGE_IMAGE_PROCESSING", "ENABLE_IMAGE_PROCESSING")
                            .defaultValue("true"),
                    SettingSpec.of("thumbnail_size", Kind.INT).env("STOWAGE_IMAGE_THUMBNAIL_SIZE", "IMAGE_THUMBNAIL_SIZE")
                            .defaultValue("300"),
                    SettingSpec.of("max_thumbnail_size", Kind.INT).env("STOWAGE_IMAGE_MAX_THUMBNAIL_SIZE")
                            .defaultValue("1024"),
                    SettingSpec.text("storage_path").env("STOWAGE_IMAGE_STORAGE_PATH", "IMAGE_STORAGE_PATH"),
                    SettingSpec.of("max_pixels", Kind.INT).env("STOWAGE_IMAGE_MAX_PIXELS").defaultValue("100000000"),
                    SettingSpec.of("cache_max_bytes", Kind.SIZE).env("STOWAGE_IMAGE_CACHE_MAX_BYTES").defaultValue("1GiB"));
        }
    }
}
