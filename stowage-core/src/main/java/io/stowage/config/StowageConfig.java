package io.stowage.config;

import io.stowage.BlobStore;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.composite.FallbackOn;
import io.stowage.composite.MirrorStore;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.BackendConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stowage's configuration (DESIGN §6): the home directory, the configured backends, and routing
 * (primary, fallback, mirror, tiers), merged from CLI flags, the environment, {@code .env} in the
 * working directory, {@code stowage.yaml} and defaults, in that order of precedence.
 *
 * <p>{@link #load(ConfigSources)} validates everything and reports every problem at once in an
 * {@link InvalidConfigException} ({@link io.stowage.ErrorKind#CONFIG}); a loaded configuration is
 * immutable and thread-safe. Backend types are checked against the installed providers only when
 * a backend is opened, so a file may name a type whose module is absent until it is used.
 * Secrets never appear in {@link #describe()}, {@link #toString()} or error messages.
 */
public final class StowageConfig {

    /** One configured backend, each setting with its source. */
    record Backend(String name, Setting type, Map<String, Setting> settings, List<String> problems) {
        Backend(String name, Setting type, Map<String, Setting> settings) {
            this(name, type, settings, List.of());
        }

        Backend withProblems(List<String> found) {
            return new Backend(name, type, settings, List.copyOf(found));
        }

        String typeName() {
            return type == null ? "" : type.value();
        }
    }

    private final Setting home;
    private final Setting primary;
    private final List<Setting> fallback;
    private final Setting fallbackOn;
    private final List<Setting> mirror;
    private final Map<Tier, String> tiers;
    private final Map<String, Backend> backends;
    private final Optional<Path> configFile;
    private final Map<String, Setting> serviceSettings;
    private final Setting mirrorMode;
    private final Setting healthInterval;
    private final Map<String, ConfigSection> sections;

    StowageConfig(Setting home, Setting primary, List<Setting> fallback, List<Setting> mirror, Setting fallbackOn,
                  Map<Tier, String> tiers,
                  Map<String, Backend> backends, Optional<Path> configFile, Map<String, Setting> serviceSettings,
                  Setting mirrorMode, Setting healthInterval, Map<String, ConfigSection> sections) {
        this.sections = Collections.unmodifiableMap(new TreeMap<>(sections));
        this.mirrorMode = mirrorMode;
        this.healthInterval = healthInterval;
        this.home = home;
        this.primary = primary;
        this.fallback = List.copyOf(fallback);
        this.fallbackOn = fallbackOn;
        this.mirror = List.copyOf(mirror);
        this.tiers = Collections.unmodifiableMap(new TreeMap<>(tiers));
        this.backends = Collections.unmodifiableMap(new TreeMap<>(backends));
        this.configFile = configFile;
        this.serviceSettings = Collections.unmodifiableMap(new TreeMap<>(serviceSettings));
    }

    /**
     * Loads and validates the configuration, with the backend providers and settings sections on the
     * classpath ({@link BlobStoreProviders#load()}, {@link SettingsSection#load()}).
     *
     * @throws InvalidConfigException listing every problem, each naming its setting
     */
    public static StowageConfig load(ConfigSources sources) {
        return load(sources, BlobStoreProviders.load());
    }

    /** Loads with these providers' declarations and the settings sections on the classpath. */
    public static StowageConfig load(ConfigSources sources, BlobStoreProviders providers) {
        return load(sources, providers, SettingsSection.load());
    }

    /**
     * Loads with these providers' declarations (environment names, defaults, required settings) and these
     * settings sections.
     *
     * @throws InvalidConfigException listing every problem, each naming its setting
     */
    public static StowageConfig load(ConfigSources sources, BlobStoreProviders providers,
                                     List<SettingsSection> sections) {
        return ConfigLoader.load(sources, providers, sections);
    }

    /** Loads from the process environment and working directory, with no flags. */
    public static StowageConfig load() {
        return load(ConfigSources.system(Map.of()));
    }

    /** Stowage's own state directory ({@code STOWAGE_HOME}, default {@code ./storage}), absolute. */
    public Path home() {
        return Path.of(home.value());
    }

    /** The name of the primary backend (a key of {@link #backends()}). */
    public String primary() {
        return primary.value();
    }

    /** Every configured backend by name, in name order; {@code local} is always there. */
    public Map<String, BackendConfig> backends() {
        Map<String, BackendConfig> out = new LinkedHashMap<>();
        backends.forEach((name, b) -> out.put(name, toBackendConfig(b)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The configured backend {@code name}.
     *
     * @throws StorageException {@code CONFIG} when there is none
     */
    public BackendConfig backend(String name) {
        Backend b = backends.get(name);
        if (b == null) {
            throw StorageException.config("unknown backend '" + name + "' (known: "
                    + String.join(", ", backends.keySet()) + ")");
        }
        return toBackendConfig(b);
    }

    /** Backends reads fall through to when the primary fails, in order. */
    public List<String> fallback() {
        return fallback.stream().map(Setting::value).toList();
    }

    /**
     * The problems found in the settings of backend {@code name} that did not fail the configuration:
     * only a primary whose refusals fail over ({@link #fallbackOn()} has {@code REFUSAL}) keeps its own
     * problems here, so it opens refusing with them and its writes go to the fallback (decision 0037).
     * Empty for every other backend, whose problems fail {@link #load} instead.
     */
    public List<String> problems(String name) {
        Backend b = backends.get(name);
        return b == null ? List.of() : b.problems();
    }

    /**
     * What fails the primary over to {@link #fallback()} ({@code fallback_on} / {@code STOWAGE_FALLBACK_ON}):
     * outages always; refusals too where it says so, and by default where a specification's own variable
     * ({@code STORAGE_TYPE}, {@code BHIV_STORAGE_BACKEND}, {@code USE_S3_STORAGE}) chose the primary
     * (decision 0037).
     */
    public Set<FallbackOn> fallbackOn() {
        return FallbackPolicy.reasons(fallbackOn);
    }

    /** Backends every write is mirrored to. */
    public List<String> mirror() {
        return mirror.stream().map(Setting::value).toList();
    }

    /** When mirror replicas are written ({@code mirror_mode} / {@code STOWAGE_MIRROR_MODE}, default sync). */
    public MirrorStore.Mode mirrorMode() {
        return MirrorStore.Mode.valueOf(mirrorMode.value().toUpperCase(java.util.Locale.ROOT));
    }

    /** How often background probes check every backend ({@code health_interval} / {@code STOWAGE_HEALTH_INTERVAL}, default 30s). */
    public java.time.Duration healthInterval() {
        return io.stowage.internal.Sizes.parseDuration(healthInterval.value(), healthInterval.name());
    }

    /** Which backend holds each routed tier. */
    public Map<Tier, String> tiers() {
        return tiers;
    }

    /** The {@code stowage.yaml} that was read, if any. */
    public Optional<Path> configFile() {
        return configFile;
    }

    /**
     * A service setting given by its environment name ({@code LOG_LEVEL}, {@code STORAGE_DEBUG},
     * {@code STOWAGE_*}, the image settings), after precedence.
     */
    public Optional<String> setting(String name) {
        return Optional.ofNullable(serviceSettings.get(name)).map(Setting::value);
    }

    /**
     * The section {@code name} ({@code server}, {@code database} ...): its settings from the environment
     * names its declaration gives, {@code .env} and {@code stowage.yaml}, with defaults; empty when nothing
     * sets it.
     */
    public ConfigSection section(String name) {
        ConfigSection s = sections.get(name);
        return s != null ? s : new ConfigSection(name, false, Map.of());
    }

    /** Every section that is declared or set, by name. */
    public Map<String, ConfigSection> sections() {
        return sections;
    }

    /** Every effective setting with its source, in a stable order; secret values are not masked here. */
    public List<Setting> settings() {
        List<Setting> out = new ArrayList<>();
        out.add(home);
        out.add(primary);
        out.addAll(fallback);
        out.add(fallbackOn);
        out.addAll(mirror);
        out.add(mirrorMode);
        out.add(healthInterval);
        backends.values().forEach(b -> {
            if (b.type() != null) {
                out.add(b.type());
            }
            out.addAll(b.settings().values());
        });
        out.addAll(serviceSettings.values());
        sections.values().forEach(sec -> sec.settings().values().forEach(out::add));
        return out;
    }

    /**
     * Opens the primary backend through {@code providers}.
     *
     * @throws StorageException {@code CONFIG} when its type is not installed (naming the module) or a
     *     setting is rejected by the backend
     */
    public BlobStore openPrimary(BlobStoreProviders providers) {
        return open(primary(), providers);
    }

    /** Opens the configured backend {@code name} through {@code providers}. */
    public BlobStore open(String name, BlobStoreProviders providers) {
        return providers.open(backend(name));
    }

    /**
     * A printable view for {@code stowage config show}: every setting with its source
     * ({@code flag}, {@code env}, {@code .env}, {@code yaml}, {@code default}), secrets masked.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("config file: ").append(configFile.map(Path::toString).orElse("(none)")).append('\n');
        line(sb, "", "home", home);
        line(sb, "", "primary", primary);
        list(sb, "fallback", fallback);
        if (!fallback.isEmpty()) {
            line(sb, "", "fallback_on", fallbackOn.with("fallback_on", String.join(", ",
                    fallbackOn().stream().map(FallbackOn::word).toList())));
        }
        list(sb, "mirror", mirror);
        if (!mirror.isEmpty()) {
            line(sb, "", "mirror_mode", mirrorMode);
        }
        line(sb, "", "health_interval", healthInterval);
        if (!tiers.isEmpty()) {
            sb.append("tiers:\n");
            tiers.forEach((t, n) -> sb.append("  ").append(t).append(" -> ").append(n).append('\n'));
        }
        sb.append("backends:\n");
        backends.values().forEach(b -> {
            sb.append("  ").append(b.name()).append(" (").append(b.typeName().isEmpty() ? "?" : b.typeName()).append(")")
                    .append(b.name().equals(primary()) ? "  [primary]" : "").append('\n');
            if (b.type() != null) {
                line(sb, "    ", "type", b.type());
            }
            b.settings().forEach((k, s) -> line(sb, "    ", k, s));
            b.problems().forEach(p -> sb.append("    problem: ").append(p).append(" (it refuses; writes go to the fallback)\n"));
        });
        if (!serviceSettings.isEmpty()) {
            sb.append("settings:\n");
            serviceSettings.forEach((k, s) -> line(sb, "  ", k, s));
        }
        sections.values().forEach(sec -> {
            sb.append(sec.name()).append(":\n");
            sec.settings().forEach((k, s) -> line(sb, "  ", k, s));
        });
        return sb.toString();
    }

    private static void line(StringBuilder sb, String indent, String key, Setting s) {
        String left = indent + key + ": " + s.shownValue();
        sb.append(left).append(" ".repeat(Math.max(1, 48 - left.length())))
                .append('(').append(source(s)).append(")\n");
    }

    private static void list(StringBuilder sb, String key, List<Setting> items) {
        if (items.isEmpty()) {
            sb.append(key).append(": (none)\n");
            return;
        }
        String left = key + ": " + String.join(", ", items.stream().map(Setting::value).toList());
        sb.append(left).append(" ".repeat(Math.max(1, 48 - left.length())))
                .append('(').append(source(items.get(0))).append(")\n");
    }

    private static String source(Setting s) {
        return s.source().label() + (s.origin() == null ? "" : " " + s.origin());
    }

    private BackendConfig toBackendConfig(Backend b) {
        Map<String, String> values = new TreeMap<>();
        b.settings().forEach((k, s) -> values.put(k, s.value()));
        return new BackendConfig(b.name(), b.typeName(), values, home());
    }

    @Override
    public String toString() {
        return "StowageConfig[primary " + primary() + ", backends " + backends.keySet() + ", home " + home.value() + "]";
    }
}
