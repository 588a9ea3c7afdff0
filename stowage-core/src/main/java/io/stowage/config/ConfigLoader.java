package io.stowage.config;

import io.stowage.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges the sources of {@link StowageConfig} in precedence order (flags, environment, {@code .env},
 * {@code stowage.yaml}, defaults) into canonical settings, then validates them, collecting every
 * problem before failing.
 */
final class ConfigLoader {

    private static final Map<String, String> FLAG_LABELS = Map.of(
            EnvNames.STOWAGE_CONFIG, "--config", EnvNames.PRIMARY_BACKEND, "--primary",
            EnvNames.STOWAGE_HOME, "--home");
    private static final Set<String> CONSUMED = Set.of(EnvNames.STOWAGE_HOME, EnvNames.STOWAGE_CONFIG,
            EnvNames.STOWAGE_FALLBACK, EnvNames.STOWAGE_MIRROR, EnvNames.STOWAGE_MIRROR_MODE,
            EnvNames.STOWAGE_HEALTH_INTERVAL);
    /** Layer settings a backend may set, and {@code layers:} for every backend: each a duration or a number. */
    /** What a layer setting holds: a duration, a positive count, or one of a few words. */
    enum LayerValue { DURATION, COUNT, TIMEOUT_MODE }

    static final Map<String, LayerValue> LAYER_KEYS = layerKeys();
    private static final Set<String> S3_FAMILY = Set.of("aws_s3", "minio", "s3_compatible");
    private static final Set<String> BOOLEAN_KEYS = Set.of("use_ssl", "create_bucket", "read_only");
    private static final Set<String> ADDRESSING = Set.of("auto", "path", "virtual");

    /** The settings one environment-like source gives, in canonical names. */
    private record Layer(Map<String, Setting> values, Map<String, Setting> impliedTypes, Set<String> identified) {
        Layer() {
            this(new LinkedHashMap<>(), new LinkedHashMap<>(), new HashSet<>());
        }
    }

    private final ConfigSources sources;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Setting> merged = new LinkedHashMap<>();
    private final Map<String, Setting> impliedTypes = new LinkedHashMap<>();
    private final Set<String> identified = new HashSet<>();
    private final Set<String> yamlBackends = new LinkedHashSet<>();
    private final Map<String, Integer> yamlLines = new LinkedHashMap<>();
    private String yamlLabel = "stowage.yaml";

    private ConfigLoader(ConfigSources sources) {
        this.sources = sources;
    }

    static StowageConfig load(ConfigSources sources) {
        return new ConfigLoader(sources).load();
    }

    private StowageConfig load() {
        Path wd = sources.workingDir();
        Map<String, String> dotenv = DotEnvFile.read(wd.resolve(".env"), problems);
        Map<String, String> env = new LinkedHashMap<>();
        sources.env().forEach((k, v) -> {
            if (EnvNames.isKnown(k)) {
                env.put(k, v);
            }
        });
        List<Layer> envLayers = List.of(
                layer(sources.flags(), ConfigSource.FLAG),
                layer(env, ConfigSource.ENV),
                layer(dotenv, ConfigSource.DOTENV));
        for (Layer l : envLayers) {
            l.values().forEach(merged::putIfAbsent);
            l.impliedTypes().forEach(impliedTypes::putIfAbsent);
            identified.addAll(l.identified());
        }

        Optional<Path> configFile = configFile(wd, dotenv, env);
        configFile.ifPresent(file -> {
            String label = file.getFileName().toString();
            yamlLabel = label;
            for (YamlFile.Entry e : YamlFile.read(file, name -> sources.env().getOrDefault(name, dotenv.get(name)),
                    problems)) {
                merged.putIfAbsent(e.key(), new Setting(e.key(), e.value(), ConfigSource.YAML,
                        label + " line " + e.line()));
                yamlLines.putIfAbsent(e.key(), e.line());
                if (e.key().startsWith("backends.")) {
                    String name = e.key().split("\\.", 3)[1];
                    yamlBackends.add(name);
                    yamlLines.putIfAbsent("backends." + name, e.line());
                }
            }
        });

        Setting homeSetting = merged.getOrDefault("home",
                new Setting("home", "./storage", ConfigSource.DEFAULT, null));
        Path home = wd.resolve(homeSetting.value()).normalize();
        homeSetting = new Setting("home", home.toString(), homeSetting.source(), homeSetting.origin());

        Setting primary = merged.getOrDefault("primary", new Setting("primary", "local", ConfigSource.DEFAULT, null));
        List<Setting> fallback = names(merged.get("fallback"));
        List<Setting> mirror = names(merged.get("mirror"));
        Map<Tier, Setting> tiers = tiers();
        Setting mirrorMode = merged.getOrDefault("mirror_mode", new Setting("mirror_mode", "sync", ConfigSource.DEFAULT, null));
        if (!Set.of("sync", "async").contains(mirrorMode.value().toLowerCase(Locale.ROOT))) {
            problems.add(label(mirrorMode) + ": must be sync or async" + shown(mirrorMode));
        }
        Setting healthInterval = merged.getOrDefault("health_interval",
                new Setting("health_interval", "30s", ConfigSource.DEFAULT, null));
        checkLayerValue(healthInterval, LayerValue.DURATION);
        merged.forEach((k, v) -> {
            if (!k.startsWith("layers.")) {
                return;
            }
            LayerValue kind = LAYER_KEYS.get(k.substring("layers.".length()));
            if (kind == null) {
                problems.add(label(v) + ": unknown layer setting (known: "
                        + String.join(", ", new TreeSet<>(LAYER_KEYS.keySet())) + ")");
            } else {
                checkLayerValue(v, kind);
            }
        });

        // Which backends exist: named in the yaml, identified by the environment, local always, and
        // every known type that routing refers to by name.
        Set<String> names = new TreeSet<>(yamlBackends);
        names.addAll(identified);
        names.add("local");
        List<Setting> references = new ArrayList<>();
        references.add(primary);
        references.addAll(fallback);
        references.addAll(mirror);
        references.addAll(tiers.values());
        Set<String> used = new LinkedHashSet<>();
        List<Setting> resolved = new ArrayList<>();
        for (Setting ref : references) {
            String name = ref.value();
            if (!names.contains(name) && EnvNames.KNOWN_TYPES.contains(EnvNames.canonicalType(name))) {
                name = EnvNames.canonicalType(name);
                names.add(name);
            }
            resolved.add(new Setting(ref.name(), name, ref.source(), ref.origin()));
            used.add(name);
        }
        for (Setting ref : resolved) {
            if (!names.contains(ref.value())) {
                problems.add(label(ref) + ": unknown backend '" + ref.value() + "' (known: "
                        + String.join(", ", names) + ")");
            }
        }

        problems.addAll(roleProblems(resolved.get(0), resolved.subList(1, 1 + fallback.size()),
                resolved.subList(1 + fallback.size(), 1 + fallback.size() + mirror.size())));

        Map<String, StowageConfig.Backend> backends = new TreeMap<>();
        for (String name : names) {
            boolean validate = used.contains(name) || yamlBackends.contains(name) || name.equals("local");
            backends.put(name, backend(name, home, validate));
        }

        Map<Tier, String> tierNames = new TreeMap<>();
        int i = references.size() - tiers.size();
        for (Tier t : tiers.keySet()) {
            Setting ref = resolved.get(i++);
            tierNames.put(t, ref.value());
            List<String> sharing = resolved.subList(1, 1 + fallback.size() + mirror.size()).stream()
                    .map(Setting::value).toList();
            if (!ref.value().equals(resolved.get(0).value()) && sharing.contains(ref.value())) {
                // A replica or fallback holds copies the composites manage: verify would delete objects
                // routed there by tier as extras, and the router would delete failover copies as stale.
                problems.add(label(ref) + ": backend '" + ref.value() + "' is a fallback or mirror; a tier needs a"
                        + " backend of its own (another bucket or container), or the primary");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(scrubbed(problems, dotenv));
        }
        Map<String, Setting> serviceSettings = new TreeMap<>();
        merged.forEach((k, v) -> {
            if (EnvNames.PASS_THROUGH.contains(k) || k.startsWith("STOWAGE_")) {
                serviceSettings.put(k, v);
            }
        });
        Setting primaryResolved = resolved.get(0);
        return new StowageConfig(homeSetting, primaryResolved,
                withoutPrimary(resolved.subList(1, 1 + fallback.size()), primaryResolved),
                withoutPrimary(resolved.subList(1 + fallback.size(), 1 + fallback.size() + mirror.size()), primaryResolved),
                tierNames, backends, configFile, serviceSettings, mirrorMode, healthInterval);
    }

    /**
     * The problems with every known secret value masked: a secret pasted into the wrong setting
     * (say {@code use_ssl}) would otherwise be quoted back in the message.
     */
    private List<String> scrubbed(List<String> found, Map<String, String> dotenv) {
        Set<String> secrets = new TreeSet<>((a, b) -> a.length() != b.length() ? b.length() - a.length() : a.compareTo(b));
        merged.values().forEach(s -> {
            if (s.secret()) {
                secrets.add(s.value());
            }
        });
        for (Map<String, String> vars : List.of(sources.flags(), sources.env(), dotenv)) {
            vars.forEach((k, v) -> {
                if (v != null && io.stowage.spi.Secrets.isSecret(k)) {
                    secrets.add(v.trim());
                }
            });
        }
        secrets.removeIf(v -> v.length() < 4);
        List<String> out = new ArrayList<>();
        for (String p : found) {
            for (String secret : secrets) {
                p = p.replace(secret, "****");
            }
            out.add(p);
        }
        return out;
    }

    // ---- sources ---------------------------------------------------------------------------

    private Layer layer(Map<String, String> vars, ConfigSource source) {
        Layer l = new Layer();
        java.util.function.Function<String, Optional<String>> get = name -> {
            String v = vars.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        };
        java.util.function.BiFunction<String, String, String> origin = (name, unused) ->
                source == ConfigSource.FLAG ? FLAG_LABELS.getOrDefault(name, name) : name;

        for (String name : EnvNames.PRIMARY_NAMES) {
            Optional<String> v = get.apply(name);
            if (v.isPresent()) {
                String value = v.get();
                // The aliases speak of types (s3 means aws_s3); PRIMARY_BACKEND may also name a yaml backend.
                String primary = name.equals(EnvNames.PRIMARY_BACKEND) && !value.equalsIgnoreCase("s3")
                        ? value : EnvNames.canonicalType(value);
                l.values().put("primary", new Setting("primary", primary, source, origin.apply(name, null)));
                break;
            }
        }
        get.apply(EnvNames.USE_S3_STORAGE).ifPresent(v -> {
            Optional<Boolean> on = parseBoolean(v);
            if (on.isEmpty()) {
                problems.add(origin.apply(EnvNames.USE_S3_STORAGE, null) + ": must be true or false, was '" + v + "'");
            } else if (on.get() && !l.values().containsKey("primary")) {
                // The spec's S3 storage with a local backup copy.
                String o = origin.apply(EnvNames.USE_S3_STORAGE, null);
                l.values().put("primary", new Setting("primary", "aws_s3", source, o));
                l.values().put("mirror", new Setting("mirror", "local", source, o));
            }
        });
        put(l, "home", EnvNames.STOWAGE_HOME, get, source, origin);
        put(l, "config", EnvNames.STOWAGE_CONFIG, get, source, origin);
        put(l, "fallback", EnvNames.STOWAGE_FALLBACK, get, source, origin);
        put(l, "mirror", EnvNames.STOWAGE_MIRROR, get, source, origin);
        put(l, "mirror_mode", EnvNames.STOWAGE_MIRROR_MODE, get, source, origin);
        put(l, "health_interval", EnvNames.STOWAGE_HEALTH_INTERVAL, get, source, origin);

        for (EnvNames.BackendName n : EnvNames.BACKEND_NAMES) {
            Optional<String> v = get.apply(n.env());
            if (v.isEmpty()) {
                continue;
            }
            String key = "backends." + n.backend() + "." + n.key();
            l.values().putIfAbsent(key, new Setting(key, v.get(), source, origin.apply(n.env(), null)));
            l.impliedTypes().putIfAbsent(n.backend(),
                    new Setting("backends." + n.backend() + ".type", n.backend(), source, origin.apply(n.env(), null)));
            if (n.identifying()) {
                l.identified().add(n.backend());
            }
        }
        vars.forEach((name, value) -> {
            boolean passThrough = EnvNames.PASS_THROUGH.contains(name)
                    || (name.startsWith("STOWAGE_") && !CONSUMED.contains(name));
            if (passThrough && value != null && !value.isBlank()) {
                l.values().putIfAbsent(name, new Setting(name, value.trim(), source, origin.apply(name, null)));
            }
        });
        return l;
    }

    private static void put(Layer l, String key, String name,
                            java.util.function.Function<String, Optional<String>> get, ConfigSource source,
                            java.util.function.BiFunction<String, String, String> origin) {
        get.apply(name).ifPresent(v -> l.values().putIfAbsent(key, new Setting(key, v, source, origin.apply(name, null))));
    }

    private Optional<Path> configFile(Path wd, Map<String, String> dotenv, Map<String, String> env) {
        Setting named = merged.get("config");
        if (named != null) {
            Path p = wd.resolve(named.value()).normalize();
            if (!Files.isRegularFile(p)) {
                problems.add(label(named) + ": configuration file not found: " + p);
                return Optional.empty();
            }
            return Optional.of(p);
        }
        for (String candidate : List.of("stowage.yaml", "stowage.yml")) {
            Path p = wd.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    // ---- routing ---------------------------------------------------------------------------

    private static List<Setting> names(Setting list) {
        if (list == null || list.value().isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.value().split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> new Setting(list.name(), s, list.source(), list.origin()))
                .toList();
    }

    private Map<Tier, Setting> tiers() {
        Map<Tier, Setting> out = new TreeMap<>();
        merged.forEach((k, v) -> {
            if (!k.startsWith("tiers.")) {
                return;
            }
            String tier = k.substring("tiers.".length());
            try {
                out.put(Tier.valueOf(tier.toUpperCase(Locale.ROOT)), v);
            } catch (IllegalArgumentException e) {
                problems.add(label(v) + ": unknown tier '" + tier + "' (expected HOT, WARM, COLD or ARCHIVE)");
            }
        });
        return out;
    }

    // ---- backends --------------------------------------------------------------------------

    private StowageConfig.Backend backend(String name, Path home, boolean validate) {
        String prefix = "backends." + name + ".";
        Map<String, Setting> settings = new TreeMap<>();
        merged.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                settings.put(k.substring(prefix.length()), v);
            }
        });
        merged.forEach((k, v) -> {
            if (k.startsWith("layers.")) {
                settings.putIfAbsent(k.substring("layers.".length()), v);
            }
        });
        Setting typeSetting = settings.remove("type");
        if (typeSetting == null) {
            typeSetting = impliedTypes.get(name);
        }
        if (typeSetting == null && EnvNames.KNOWN_TYPES.contains(name)) {
            typeSetting = new Setting(prefix + "type", name, ConfigSource.DEFAULT, null);
        }
        String type;
        if (typeSetting == null) {
            if (validate) {
                problems.add(at(prefix + "type") + prefix + "type: required (one of "
                        + String.join(", ", EnvNames.KNOWN_TYPES) + ", or another installed type)");
            }
            type = "";
        } else {
            type = EnvNames.canonicalType(typeSetting.value());
            typeSetting = new Setting(prefix + "type", type, typeSetting.source(), typeSetting.origin());
        }

        defaults(name, type, home, settings);
        resolvePaths(settings);
        if (validate) {
            validate(name, type, settings);
        }
        return new StowageConfig.Backend(name, typeSetting, settings);
    }

    private void defaults(String name, String type, Path home, Map<String, Setting> settings) {
        String prefix = "backends." + name + ".";
        java.util.function.BiConsumer<String, String> def = (k, v) ->
                settings.putIfAbsent(k, new Setting(prefix + k, v, ConfigSource.DEFAULT, null));
        if (type.equals("local") && !settings.containsKey("path")) {
            settings.put("path", new Setting(prefix + "path", home.toString(), ConfigSource.DEFAULT, "STOWAGE_HOME"));
        }
        if (type.equals("minio") || type.equals("s3_compatible")) {
            def.accept("addressing_style", "path");
            def.accept("region", "us-east-1");
        }
        if (S3_FAMILY.contains(type) || type.equals("azure_blob") || type.equals("gcs")) {
            def.accept("create_bucket", "true");
        }
    }

    private void resolvePaths(Map<String, Setting> settings) {
        for (String k : List.of("path", "credentials_file")) {
            Setting s = settings.get(k);
            if (s != null) {
                settings.put(k, new Setting(s.name(), sources.workingDir().resolve(s.value()).normalize().toString(),
                        s.source(), s.origin()));
            }
        }
    }

    private void validate(String name, String type, Map<String, Setting> settings) {
        settings.forEach((k, s) -> {
            if (LAYER_KEYS.containsKey(k) && s.name().startsWith("backends.")) {
                checkLayerValue(s, LAYER_KEYS.get(k));
            }
            if (BOOLEAN_KEYS.contains(k) && parseBoolean(s.value()).isEmpty()) {
                problems.add(label(s) + ": must be true or false" + shown(s));
            }
            if (k.equals("addressing_style") && !ADDRESSING.contains(s.value().toLowerCase(Locale.ROOT))) {
                problems.add(label(s) + ": must be auto, path or virtual" + shown(s));
            }
            if (k.equals("prefix")) {
                checkPrefix(s);
            }
        });
        List<String> required = switch (type) {
            case "aws_s3", "gcs" -> List.of("bucket");
            case "minio", "s3_compatible" -> List.of("endpoint", "bucket");
            case "azure_blob" -> List.of("container");
            default -> List.of();
        };
        for (String k : required) {
            if (!settings.containsKey(k)) {
                problems.add(missing(name, k));
            }
        }
        if (type.equals("azure_blob") && !settings.containsKey("connection_string")
                && !settings.containsKey("account_name")) {
            problems.add(missing(name, "connection_string") + " (or account_name with account_key or sas_token)");
        }
    }

    private String missing(String name, String key) {
        String canonical = "backends." + name + "." + key;
        String hint = EnvNames.envNameFor(name, key).map(env -> " (set " + env + ")").orElse("");
        return at("backends." + name) + canonical + ": required" + hint;
    }

    /** Where a yaml-defined setting is, as a message prefix; empty for others. */
    private String at(String key) {
        Integer line = yamlLines.get(key);
        if (line == null && key.endsWith(".type")) {
            line = yamlLines.get(key.substring(0, key.length() - ".type".length()));
        }
        return line == null ? "" : yamlLabel + " line " + line + ": ";
    }

    /** The name a person used for a setting: the environment name, or file and line plus key. */
    /**
     * The primary neither fails over nor mirrors to itself: {@code --primary backup} works on the backup
     * alone even where the file lists it as a fallback.
     */
    private static List<Setting> withoutPrimary(List<Setting> refs, Setting primary) {
        return refs.stream().filter(r -> !r.value().equals(primary.value())).toList();
    }

    /**
     * A backend plays one role among fallback and mirror replica: a fallback's failover copies are removed
     * from it by replay, so a replica on the same backend would lose them. (The primary named among them is
     * left out of them; see {@link #withoutPrimary}.)
     */
    private static List<String> roleProblems(Setting primary, List<Setting> fallback, List<Setting> mirror) {
        List<String> problems = new ArrayList<>();
        Set<String> fallbackNames = new LinkedHashSet<>();
        for (Setting ref : fallback) {
            if (ref.value().equals(primary.value())) {
                continue;
            }
            if (!fallbackNames.add(ref.value())) {
                problems.add(label(ref) + ": backend '" + ref.value() + "' is named twice");
            }
        }
        Set<String> mirrorNames = new LinkedHashSet<>();
        for (Setting ref : mirror) {
            if (ref.value().equals(primary.value())) {
                continue;
            }
            if (fallbackNames.contains(ref.value())) {
                problems.add(label(ref) + ": backend '" + ref.value() + "' is also a fallback; a mirror replica needs a"
                        + " backend of its own (another path, bucket or container), since replay removes what was"
                        + " written to a fallback during an outage");
            } else if (!mirrorNames.add(ref.value())) {
                problems.add(label(ref) + ": backend '" + ref.value() + "' is named twice");
            }
        }
        return problems;
    }

    private static String label(Setting s) {
        if (s.source() == ConfigSource.YAML) {
            return s.origin() + ": " + s.name();
        }
        return s.origin() == null ? s.name() : s.origin();
    }

    private static String shown(Setting s) {
        return s.secret() ? "" : ", was '" + s.value() + "'";
    }

    private static Map<String, LayerValue> layerKeys() {
        Map<String, LayerValue> m = new TreeMap<>();
        for (String k : List.of("timeout.metadata", "timeout.first_byte", "timeout.read_idle", "timeout.write",
                "retry.initial_backoff", "retry.max_backoff", "retry.budget", "circuit.open_for")) {
            m.put(k, LayerValue.DURATION);
        }
        for (String k : List.of("retry.max_attempts", "circuit.failure_rate", "circuit.window", "circuit.minimum_calls",
                "circuit.half_open_calls")) {
            m.put(k, LayerValue.COUNT);
        }
        m.put("timeout.mode", LayerValue.TIMEOUT_MODE);
        return Map.copyOf(m);
    }

    /** A positive duration, a positive whole number, or {@code watchdog}/{@code handoff}, as {@code kind} says. */
    private void checkLayerValue(Setting s, LayerValue kind) {
        String v = s.value().trim();
        boolean ok;
        if (kind == LayerValue.TIMEOUT_MODE) {
            ok = v.equalsIgnoreCase("watchdog") || v.equalsIgnoreCase("handoff");
        } else if (kind == LayerValue.DURATION) {
            try {
                java.time.Duration d = io.stowage.spi.Sizes.parseDuration(v, s.name());
                ok = !d.isNegative() && !d.isZero();
            } catch (io.stowage.StorageException e) {
                ok = false;
            }
        } else {
            ok = v.matches("[0-9]{1,9}") && Long.parseLong(v) > 0
                    && (!s.name().endsWith("failure_rate") || Long.parseLong(v) <= 100);
        }
        if (!ok) {
            problems.add(label(s) + switch (kind) {
                case DURATION -> ": must be a positive duration such as 30s or 500ms";
                case COUNT -> ": must be a positive whole number";
                case TIMEOUT_MODE -> ": must be watchdog or handoff";
            } + shown(s));
        }
    }

    /** The prefix layer's namespace: key segments ending with {@code /}, such as {@code tenant-a/}. */
    private void checkPrefix(Setting s) {
        String v = s.value();
        String why = null;
        if (v.isEmpty() || !v.endsWith("/")) {
            why = "must end with '/'";
        } else {
            try {
                io.stowage.BlobKey.of(v.substring(0, v.length() - 1));
            } catch (io.stowage.StorageException e) {
                why = "must be key segments ending with '/' (" + e.reason() + ")";
            }
        }
        if (why != null) {
            problems.add(label(s) + ": " + why + ", such as 'tenant-a/'" + shown(s));
        }
    }

    static Optional<Boolean> parseBoolean(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> Optional.of(true);
            case "false", "no", "off", "0" -> Optional.of(false);
            default -> Optional.empty();
        };
    }
}
