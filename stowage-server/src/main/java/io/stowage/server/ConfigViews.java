package io.stowage.server;

import io.stowage.ErrorKind;
import io.stowage.config.ConfigSource;
import io.stowage.config.ConfigSources;
import io.stowage.config.Setting;
import io.stowage.config.StowageConfig;
import io.stowage.service.ConnectionProbe;
import io.stowage.service.StorageService;
import io.stowage.spi.Secrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How the configuration routes show settings (decision 0052): every secret masked ({@code ****} and at most its last
 * four characters), every value that holds a URL without its user info and query, and, as a last guard, any
 * secret's value found inside another value replaced.
 */
final class ConfigViews {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Set<String> STORAGE = Set.of("home", "primary", "fallback", "fallback_on", "mirror",
            "mirror_mode", "health_interval", "tiers", "backends");

    private ConfigViews() {
    }

    /** {@code GET /admin/config}: every effective setting with its source. */
    static Map<String, Object> settings(StowageConfig config, boolean reloadable) {
        List<Map<String, Object>> settings = new ArrayList<>();
        for (Setting s : config.settings()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", s.name());
            one.put("value", shown(config, s.secret(), s.value()));
            one.put("source", s.source().label());
            one.put("origin", s.origin());
            one.put("secret", s.secret());
            settings.add(one);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("configFile", config.configFile().map(Path::toString).orElse(null));
        body.put("reloadable", reloadable);
        body.put("settings", settings);
        return body;
    }

    /**
     * {@code GET /environment-variables} (specification 004): the variables Stowage read from the environment,
     * {@code .env} or flags, by category, each with its value as given (masked when secret), its source and the
     * setting it made; and the names in {@code .env} that no setting took (names only: they are other programs').
     */
    static Map<String, Object> environment(StowageConfig config, ConfigSources sources) {
        Map<String, String> dotenv = sources == null ? Map.of() : DotEnvEdits.parse(DotEnvEdits.read(sources.workingDir()));
        Map<String, Map<String, Object>> categories = new TreeMap<>();
        Set<String> used = new TreeSet<>();
        for (Setting s : config.settings()) {
            if (s.source() == ConfigSource.DEFAULT || s.source() == ConfigSource.YAML || s.origin() == null
                    || !ENV_NAME.matcher(s.origin()).matches() || !used.add(s.origin())) {
                continue;
            }
            String raw = sources == null ? null : switch (s.source()) {
                case ENV -> sources.env().get(s.origin());
                case DOTENV -> dotenv.get(s.origin());
                case FLAG -> sources.flags().get(s.origin());
                default -> null;
            };
            boolean secret = s.secret() || Secrets.isSecret(s.origin());
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("value", shown(config, secret, raw != null ? raw : s.value()));
            one.put("source", s.source().label());
            one.put("sensitive", secret);
            one.put("setting", s.name());
            categories.computeIfAbsent(category(s), c -> new TreeMap<>()).put(s.origin(), one);
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("exists", sources != null && java.nio.file.Files.isRegularFile(sources.workingDir().resolve(DotEnvEdits.FILE)));
        file.put("backups", sources == null ? 0 : DotEnvEdits.backups(sources.workingDir()).size());
        file.put("unused", dotenv.keySet().stream().filter(n -> !used.contains(n)).sorted().toList());
        file.put("editable", sources != null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("categories", categories);
        body.put("envFile", file);
        return body;
    }

    /** storage, image, server, database, auth, limits, logging, … : the section a setting is in, by its name. */
    static String category(Setting s) {
        String first = s.name().split("[.\\[]", 2)[0];
        if (STORAGE.contains(first)) {
            return "storage";
        }
        if (s.name().contains(".")) {
            return first.equals("images") ? "image" : first;
        }
        String name = s.name().toUpperCase(java.util.Locale.ROOT);
        if (name.contains("IMAGE")) {
            return "image";
        }
        if (name.contains("LOG") || name.contains("DEBUG")) {
            return "logging";
        }
        return name.startsWith("STOWAGE_") ? "server" : "other";
    }

    /** A value as the routes show it. */
    static String shown(StowageConfig config, boolean secret, String value) {
        if (value == null) {
            return null;
        }
        if (secret) {
            return Secrets.mask(value);
        }
        String v = value.contains("://") || value.startsWith("jdbc:") ? withoutCredentials(value) : value;
        return Reconfiguration.scrub(config, v);
    }

    /** A URL without user info or query, where credentials (a password, a SAS) could hide. */
    static String withoutCredentials(String url) {
        return url.replaceFirst("[?#].*$", "").replaceFirst("^([a-zA-Z][a-zA-Z0-9+.:-]*//)[^/@]*@", "$1");
    }

    /** One backend's connection test as the routes answer it; its message scrubbed of {@code config}'s secrets. */
    static Map<String, Object> probe(ConnectionProbe.Result r, StowageConfig config) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("backend", r.backend());
        one.put("ok", r.ok());
        one.put("latency_ms", HealthRoutes.millis(r.latency()));
        Map<String, Object> steps = new LinkedHashMap<>();
        for (String step : List.of("write", "read", "delete")) {
            if (r.steps().containsKey(step)) {
                steps.put(step, HealthRoutes.millis(r.steps().get(step)));
            }
        }
        one.put("steps", steps);
        if (!r.ok()) {
            one.put("failedStep", r.failedStep().orElse(null));
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("kind", r.errorKind().map(ErrorKind::name).orElse(null));
            error.put("message", r.message().map(m -> config == null ? m : Reconfiguration.scrub(config, m))
                    .map(ConfigViews::withoutUrlsCredentials).orElse(null));
            one.put("error", error);
        }
        return one;
    }

    private static String withoutUrlsCredentials(String text) {
        return text.replaceAll("(://)[^/@\\s]*@", "$1").replaceAll("(https?://[^\\s?#]*)[?#][^\\s]*", "$1");
    }

    /** The tests of every backend of the service's manager, or of its one store's health without one. */
    static List<Map<String, Object>> probes(StorageService service) {
        if (service.manager().isPresent()) {
            var manager = service.manager().get();
            return ConnectionProbe.testAll(manager.backends()).stream().map(r -> probe(r, manager.config())).toList();
        }
        var health = service.operations().storeHealth();
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("backend", service.operations().storeName());
        one.put("ok", health.healthy());
        one.put("latency_ms", HealthRoutes.millis(health.latency()));
        one.put("steps", Map.of());
        health.errorKind().ifPresent(k -> one.put("error", Map.of("kind", k.name())));
        return List.of(one);
    }
}
