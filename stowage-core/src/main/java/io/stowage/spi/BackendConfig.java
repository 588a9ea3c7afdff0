package io.stowage.spi;

import io.stowage.StorageException;
import io.stowage.internal.Sizes;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The settings of one configured backend: its name, its type and its keys (as DESIGN §6 names them:
 * {@code path}, {@code bucket}, {@code access_key}, ...; nested maps flattened with dots, e.g.
 * {@code capabilities.conditional_put}), plus Stowage's home directory for state.
 *
 * <p>Values are strings as configured; the typed getters parse them and fail with
 * {@link io.stowage.ErrorKind#CONFIG} naming the backend and key.
 */
public record BackendConfig(String name, String type, Map<String, String> settings, Path home) {

    public BackendConfig {
        settings = Map.copyOf(new TreeMap<>(settings));
    }

    public static BackendConfig of(String type, Map<String, String> settings) {
        return new BackendConfig(type, type, settings, Path.of("storage"));
    }

    public Optional<String> get(String key) {
        String v = settings.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public String require(String key) {
        return get(key).orElseThrow(() -> StorageException.config(
                "backend '" + name + "' (" + type + ") needs setting '" + key + "'"));
    }

    public boolean getBoolean(String key, boolean fallback) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw StorageException.config("backend '" + name + "' setting '" + key
                    + "' must be true or false, was '" + v.get() + "'");
        };
    }

    public int getInt(String key, int fallback) {
        return (int) getLong(key, fallback);
    }

    public long getLong(String key, long fallback) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.get());
        } catch (NumberFormatException e) {
            throw StorageException.config("backend '" + name + "' setting '" + key + "' must be a whole number, was '"
                    + v.get() + "'");
        }
    }

    /** A size such as {@code 8388608}, {@code 8MiB}, {@code 8MB}, {@code 64k}. */
    public long getBytes(String key, long fallback) {
        Optional<String> v = get(key);
        return v.isEmpty() ? fallback : Sizes.parse(v.get(), "backend '" + name + "' setting '" + key + "'");
    }

    /** A duration such as {@code 30s}, {@code 500ms}, {@code 2m}, or ISO-8601 {@code PT30S}. */
    public Duration getDuration(String key, Duration fallback) {
        Optional<String> v = get(key);
        return v.isEmpty() ? fallback : Sizes.parseDuration(v.get(), "backend '" + name + "' setting '" + key + "'");
    }

    /**
     * A URL with a scheme and a host, such as a custom {@code endpoint}, without a trailing slash.
     *
     * @param variable the environment variable that also sets it, named beside the key in the error; null for none
     */
    public Optional<URI> getUrl(String key, String variable) {
        return get(key).map(text -> {
            try {
                URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new URISyntaxException(text, "needs a scheme and a host");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw StorageException.config("backend '" + name + "' setting '" + key + "'"
                        + (variable == null ? "" : " (" + variable + ")") + " is not a URL: '" + text + "'");
            }
        });
    }

    /** The settings under {@code prefix.} with the prefix removed (e.g. {@code capabilities}). */
    public Map<String, String> section(String prefix) {
        Map<String, String> out = new TreeMap<>();
        String p = prefix + ".";
        settings.forEach((k, v) -> {
            if (k.startsWith(p)) {
                out.put(k.substring(p.length()), v);
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return "BackendConfig[" + name + " (" + type + "), " + Secrets.mask(settings) + "]";
    }
}
