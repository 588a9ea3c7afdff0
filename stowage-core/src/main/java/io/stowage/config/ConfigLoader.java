package io.stowage.config;

import io.stowage.Tier;
import io.stowage.composite.FallbackOn;
import io.stowage.internal.BlobStoreProviders;
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

    /** Layer settings a backend may set, and {@code layers:} for every backend: each a duration or a number. */
    static final Map<String, Problems.LayerValue> LAYER_KEYS = layerKeys();
    /** The backend that always exists and is the primary unless configuration says otherwise (DESIGN §6). */
    static final String DEFAULT_PRIMARY = "local";

    private final ConfigSources sources;
    private final Declarations declared;
    private final Problems problems = new Problems();
    private final Map<String, Setting> merged = new LinkedHashMap<>();
    private final Map<String, Setting> impliedTypes = new LinkedHashMap<>();
    private final Set<String> identified = new HashSet<>();
    private final Set<String> yamlBackends = new LinkedHashSet<>();

    private ConfigLoader(ConfigSources sources, Declarations declared) {
        this.sources = sources;
        this.declared = declared;
    }

    static StowageConfig load(ConfigSources sources, BlobStoreProviders providers, List<SettingsSection> sections) {
        return new ConfigLoader(sources, new Declarations(providers, sections)).load();
    }

    private StowageConfig load() {
        Path wd = sources.workingDir();
        Map<String, String> dotenv = DotEnvFile.read(wd.resolve(".env"), problems.list());
        Map<String, String> env = new LinkedHashMap<>();
        sources.env().forEach((k, v) -> {
            if (declared.isKnownEnv(k)) {
                env.put(k, v);
            }
        });
        List<EnvSource> envLayers = List.of(
                EnvSource.read(sources.flags(), ConfigSource.FLAG, declared, problems),
                EnvSource.read(env, ConfigSource.ENV, declared, problems),
                EnvSource.read(dotenv, ConfigSource.DOTENV, declared, problems));
        for (EnvSource l : envLayers) {
            l.values().forEach(merged::putIfAbsent);
            l.impliedTypes().forEach(impliedTypes::putIfAbsent);
            identified.addAll(l.identified());
        }

        Optional<Path> configFile = configFile(wd);
        configFile.ifPresent(file -> {
            String label = file.getFileName().toString();
            for (YamlFile.Entry e : YamlFile.read(file, name -> sources.env().getOrDefault(name, dotenv.get(name)),
                    Sections.yamlKeys(declared), declared.sectionKeys(), problems.list())) {
                merged.putIfAbsent(e.key(), new Setting(e.key(), e.value(), ConfigSource.YAML,
                        label + " line " + e.line()));
                problems.yamlLine(label, e.key(), e.line());
                if (e.key().startsWith("backends.")) {
                    String name = e.key().split("\\.", 3)[1];
                    yamlBackends.add(name);
                    problems.yamlLine(label, "backends." + name, e.line());
                }
            }
        });

        Setting homeSetting = merged.getOrDefault("home",
                new Setting("home", "./storage", ConfigSource.DEFAULT, null));
        Path home = wd.resolve(homeSetting.value()).normalize();
        homeSetting = new Setting("home", home.toString(), homeSetting.source(), homeSetting.origin());

        Setting primary = merged.getOrDefault("primary", new Setting("primary", DEFAULT_PRIMARY, ConfigSource.DEFAULT, null));
        List<Setting> mirror = names(merged.get("mirror"));
        Optional<String> chosenBy = FallbackPolicy.chosenBySpecification(primary, declared);
        List<Setting> fallback = FallbackPolicy.fallback(names(merged.get("fallback")), primary, mirror, chosenBy);
        Setting fallbackOn = FallbackPolicy.fallbackOn(merged.get("fallback_on"), chosenBy, problems);
        FallbackPolicy.localFallbackSettings(fallback, home).forEach((k, v) -> {
            if (!yamlBackends.contains(FallbackPolicy.LOCAL_FALLBACK)) {
                merged.put(k, v);
                identified.add(FallbackPolicy.LOCAL_FALLBACK);
            }
        });
        Map<Tier, Setting> tiers = tiers();
        Setting mirrorMode = merged.getOrDefault("mirror_mode", new Setting("mirror_mode", "sync", ConfigSource.DEFAULT, null));
        if (!Set.of("sync", "async").contains(mirrorMode.value().toLowerCase(Locale.ROOT))) {
            problems.add(Problems.label(mirrorMode) + ": must be sync or async" + Problems.shown(mirrorMode));
        }
        Setting healthInterval = merged.getOrDefault("health_interval",
                new Setting("health_interval", "30s", ConfigSource.DEFAULT, null));
        problems.checkLayerValue(healthInterval, Problems.LayerValue.DURATION);
        merged.forEach((k, v) -> {
            if (!k.startsWith("layers.")) {
                return;
            }
            Problems.LayerValue kind = LAYER_KEYS.get(k.substring("layers.".length()));
            if (kind == null) {
                problems.add(Problems.label(v) + ": unknown layer setting (known: "
                        + String.join(", ", new TreeSet<>(LAYER_KEYS.keySet())) + ")");
            } else {
                problems.checkLayerValue(v, kind);
            }
        });

        // Which backends exist: named in the yaml, identified by the environment, local always, and
        // every known type that routing refers to by name.
        Set<String> names = new TreeSet<>(yamlBackends);
        names.addAll(identified);
        names.add(DEFAULT_PRIMARY);
        List<Setting> references = new ArrayList<>();
        references.add(primary);
        references.addAll(fallback);
        references.addAll(mirror);
        references.addAll(tiers.values());
        Set<String> used = new LinkedHashSet<>();
        List<Setting> resolved = new ArrayList<>();
        for (Setting ref : references) {
            String name = ref.value();
            if (!names.contains(name) && declared.providers.isKnownType(name)) {
                name = declared.providers.canonicalType(name);
                names.add(name);
            }
            resolved.add(new Setting(ref.name(), name, ref.source(), ref.origin()));
            used.add(name);
        }
        for (Setting ref : resolved) {
            if (!names.contains(ref.value())) {
                problems.add(Problems.label(ref) + ": unknown backend '" + ref.value() + "' (known: "
                        + String.join(", ", names) + ")");
            }
        }

        Roles.problems(resolved.get(0), resolved.subList(1, 1 + fallback.size()),
                resolved.subList(1 + fallback.size(), 1 + fallback.size() + mirror.size())).forEach(problems::add);

        Map<String, StowageConfig.Backend> backends = new TreeMap<>();
        BackendSettings backendSettings = new BackendSettings(merged, impliedTypes, declared, problems, wd);
        // A primary whose refusals fail over keeps its own problems: it opens refusing with them and the
        // fallback serves, as the specifications promise for an invalid S3 configuration (decision 0037).
        String deferring = FallbackPolicy.reasons(fallbackOn).contains(FallbackOn.REFUSAL) && !fallback.isEmpty()
                ? resolved.get(0).value() : null;
        List<String> deferred = new ArrayList<>();
        for (String name : names) {
            boolean validate = used.contains(name) || yamlBackends.contains(name) || name.equals(DEFAULT_PRIMARY);
            int before = problems.list().size();
            StowageConfig.Backend backend = backendSettings.backend(name, home, validate);
            List<String> own = problems.list().subList(before, problems.list().size());
            if (name.equals(deferring) && !own.isEmpty()) {
                backend = backend.withProblems(own);
                deferred.addAll(own);
                own.clear();
            }
            backends.put(name, backend);
        }
        Map<String, ConfigSection> sections = new Sections(merged, declared, problems).read();
        if (deferring != null && backends.containsKey(deferring) && !backends.get(deferring).problems().isEmpty()) {
            StowageConfig.Backend backend = backends.get(deferring);
            backends.put(deferring, backend.withProblems(scrubbed(backend.problems(), dotenv, backends, sections)));
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
                problems.add(Problems.label(ref) + ": backend '" + ref.value() + "' is a fallback or mirror; a tier needs a"
                        + " backend of its own (another bucket or container), or the primary");
            }
        }
        if (!problems.isEmpty()) {
            problems.list().addAll(deferred); // failing anyway: every problem at once
            throw new InvalidConfigException(scrubbed(problems.list(), dotenv, backends, sections));
        }
        Map<String, Setting> serviceSettings = new TreeMap<>();
        merged.forEach((k, v) -> {
            if (EnvNames.isPassThrough(k)) {
                serviceSettings.put(k, v);
            }
        });
        Setting primaryResolved = resolved.get(0);
        return new StowageConfig(homeSetting, primaryResolved,
                withoutPrimary(resolved.subList(1, 1 + fallback.size()), primaryResolved),
                withoutPrimary(resolved.subList(1 + fallback.size(), 1 + fallback.size() + mirror.size()), primaryResolved),
                fallbackOn, tierNames, backends, configFile, serviceSettings, mirrorMode, healthInterval, sections);
    }

    /**
     * The problems with every known secret value masked: a secret pasted into the wrong setting
     * (say {@code use_ssl}) would otherwise be quoted back in the message.
     */
    private List<String> scrubbed(List<String> found, Map<String, String> dotenv,
                                  Map<String, StowageConfig.Backend> backends, Map<String, ConfigSection> sections) {
        Set<String> secrets = new TreeSet<>((a, b) -> a.length() != b.length() ? b.length() - a.length() : a.compareTo(b));
        List<Setting> all = new ArrayList<>(merged.values());
        backends.values().forEach(b -> all.addAll(b.settings().values()));
        sections.values().forEach(sec -> all.addAll(sec.settings().values()));
        all.forEach(s -> {
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

    private Optional<Path> configFile(Path wd) {
        Setting named = merged.get("config");
        if (named != null) {
            Path p = wd.resolve(named.value()).normalize();
            if (!Files.isRegularFile(p)) {
                problems.add(Problems.label(named) + ": configuration file not found: " + p);
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
                problems.add(Problems.label(v) + ": unknown tier '" + tier + "' (expected HOT, WARM, COLD or ARCHIVE)");
            }
        });
        return out;
    }

    /**
     * The primary neither fails over nor mirrors to itself: {@code --primary backup} works on the backup
     * alone even where the file lists it as a fallback.
     */
    private static List<Setting> withoutPrimary(List<Setting> refs, Setting primary) {
        return refs.stream().filter(r -> !r.value().equals(primary.value())).toList();
    }

    private static Map<String, Problems.LayerValue> layerKeys() {
        Map<String, Problems.LayerValue> m = new TreeMap<>();
        for (String k : List.of("timeout.metadata", "timeout.first_byte", "timeout.read_idle", "timeout.write",
                "retry.initial_backoff", "retry.max_backoff", "retry.budget", "circuit.open_for")) {
            m.put(k, Problems.LayerValue.DURATION);
        }
        for (String k : List.of("retry.max_attempts", "circuit.failure_rate", "circuit.window", "circuit.minimum_calls",
                "circuit.half_open_calls")) {
            m.put(k, Problems.LayerValue.COUNT);
        }
        m.put("timeout.mode", Problems.LayerValue.TIMEOUT_MODE);
        return Map.copyOf(m);
    }
}
