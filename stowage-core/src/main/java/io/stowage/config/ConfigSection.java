package io.stowage.config;

import io.stowage.StorageException;
import io.stowage.internal.Sizes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The effective settings of one section ({@code server}, {@code database} ...), by key relative to the
 * section, each with its source. A declared section was checked at load, so its typed reads of declared
 * keys do not fail on a bad value; a section that is carried but declared by no installed module
 * (its module is absent) holds its values unchecked. Immutable and thread-safe.
 */
public final class ConfigSection {

    private final String name;
    private final boolean declared;
    private final Map<String, Setting> settings;

    ConfigSection(String name, boolean declared, Map<String, Setting> settings) {
        this.name = name;
        this.declared = declared;
        this.settings = Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    public String name() {
        return name;
    }

    /** Whether an installed module declared this section (so its values were checked). */
    public boolean declared() {
        return declared;
    }

    /** Every setting by key, with its source; secret values are not masked here ({@link Setting#shownValue()}). */
    public Map<String, Setting> settings() {
        return settings;
    }

    /** The setting {@code key} with its source, if it has a value (given or default). */
    public Optional<Setting> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /**
     * How a problem names the setting {@code key}: the name its value came in by (an environment variable, a flag,
     * or the yaml path), else {@code <section>.<key>}.
     */
    public String label(String key) {
        return setting(key).map(Setting::label).orElse(name + "." + key);
    }

    public Optional<String> get(String key) {
        return setting(key).map(Setting::value);
    }

    /**
     * The value of {@code key}.
     *
     * @throws StorageException {@code CONFIG} when it has none
     */
    public String getString(String key) {
        return get(key).orElseThrow(() -> StorageException.config("setting '" + name + "." + key + "' is not set"));
    }

    public boolean getBoolean(String key) {
        String v = getString(key);
        return Problems.parseBoolean(v).orElseThrow(() -> bad(key, "must be true or false"));
    }

    public int getInt(String key) {
        long v = getLong(key);
        if (v != (int) v) {
            throw bad(key, "is too large");
        }
        return (int) v;
    }

    public long getLong(String key) {
        try {
            return Long.parseLong(getString(key).trim());
        } catch (NumberFormatException e) {
            throw bad(key, "must be a whole number");
        }
    }

    /** A size such as {@code 8MiB} or {@code 1048576}, in bytes. */
    public long getSize(String key) {
        return Sizes.parse(getString(key).trim(), what(key));
    }

    /** A duration such as {@code 30s}, {@code 500ms} or {@code PT1M}. */
    public Duration getDuration(String key) {
        return Sizes.parseDuration(getString(key).trim(), what(key));
    }

    /** Comma-separated values (a yaml list), trimmed, empty ones left out; empty when not set. */
    public List<String> getList(String key) {
        return get(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    private String what(String key) {
        return setting(key).map(Problems::label).orElse(name + "." + key);
    }

    private StorageException bad(String key, String why) {
        Setting s = settings.get(key);
        return StorageException.config(what(key) + ": " + why + (s == null ? "" : Problems.shown(s)));
    }

    @Override
    public String toString() {
        return "ConfigSection[" + name + ", " + settings.values() + "]";
    }
}
