package io.stowage.config;

import io.stowage.spi.SettingSpec;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one environment-like source (flags, the environment, {@code .env}) into canonical settings,
 * applying the names configuration owns and those the providers and sections declare.
 *
 * @param values the settings, by canonical name ({@code primary}, {@code backends.minio.bucket}, {@code server.port})
 * @param impliedTypes the type of each backend an environment name set a key of (its own name)
 * @param identified the backends an identifying name made exist
 */
record EnvSource(Map<String, Setting> values, Map<String, Setting> impliedTypes, Set<String> identified) {

    private static final java.util.regex.Pattern UNIT_OF_NAME = java.util.regex.Pattern.compile(".*_([KMGT]B)");
    private static final Map<String, String> FLAG_LABELS = Map.of(
            EnvNames.STOWAGE_CONFIG, "--config", EnvNames.PRIMARY_BACKEND, "--primary",
            EnvNames.STOWAGE_HOME, "--home");

    static EnvSource read(Map<String, String> vars, ConfigSource source, Declarations declared, Problems problems) {
        EnvSource l = new EnvSource(new LinkedHashMap<>(), new LinkedHashMap<>(), new HashSet<>());
        Reader r = new Reader(vars, source);
        for (String name : EnvNames.PRIMARY_NAMES) {
            Optional<String> v = r.get(name);
            if (v.isPresent()) {
                String value = v.get();
                // The aliases speak of types (a type's alias means the type); PRIMARY_BACKEND may also name a
                // yaml backend, so only an alias is translated there.
                String primary = name.equals(EnvNames.PRIMARY_BACKEND) && !declared.providers.isAlias(value)
                        ? value : declared.providers.canonicalType(value);
                l.values().put("primary", new Setting("primary", primary, source, r.origin(name)));
                break;
            }
        }
        for (Declarations.Switch s : declared.switches) {
            String env = s.primarySwitch().env();
            r.get(env).ifPresent(v -> {
                Optional<Boolean> on = Problems.parseBoolean(v);
                if (on.isEmpty()) {
                    problems.add(r.origin(env) + ": must be true or false, was '" + v + "'");
                } else if (on.get() && !l.values().containsKey("primary")) {
                    l.values().put("primary", new Setting("primary", s.type(), source, r.origin(env)));
                    if (!s.primarySwitch().mirror().isEmpty()) {
                        l.values().put("mirror", new Setting("mirror", String.join(",", s.primarySwitch().mirror()),
                                source, r.origin(env)));
                    }
                }
            });
        }
        for (List<String> routing : EnvNames.ROUTING) {
            r.get(routing.get(0)).ifPresent(v -> l.values().putIfAbsent(routing.get(1),
                    new Setting(routing.get(1), v, source, r.origin(routing.get(0)))));
        }
        for (Declarations.BackendName n : declared.backendNames) {
            Optional<String> v = r.get(n.env());
            if (v.isEmpty()) {
                continue;
            }
            String key = "backends." + n.backend() + "." + n.spec().key();
            l.values().putIfAbsent(key, new Setting(key, inUnitOfName(n.spec(), n.env(), v.get()), source,
                    r.origin(n.env()), n.spec().isSecret()));
            l.impliedTypes().putIfAbsent(n.backend(),
                    new Setting("backends." + n.backend() + ".type", n.backend(), source, r.origin(n.env())));
            if (n.spec().isIdentifying()) {
                l.identified().add(n.backend());
            }
        }
        for (Declarations.SectionName n : declared.sectionNames) {
            String key = n.section() + "." + n.spec().key();
            r.get(n.env()).ifPresent(v -> l.values().putIfAbsent(key,
                    new Setting(key, inUnitOfName(n.spec(), n.env(), v), source, r.origin(n.env()), n.spec().isSecret())));
        }
        vars.forEach((name, value) -> {
            if (EnvNames.isPassThrough(name) && value != null && !value.isBlank()) {
                l.values().putIfAbsent(name, new Setting(name, value.trim(), source, r.origin(name)));
            }
        });
        return l;
    }

    /**
     * A size given by an environment name that states its unit ({@code MAX_IMAGE_SIZE_MB=25}, spec 004) is a bare
     * number in that unit; every other value is taken as written ({@code STOWAGE_MAX_UPLOAD_SIZE=25} is bytes).
     */
    static String inUnitOfName(SettingSpec spec, String env, String value) {
        java.util.regex.Matcher unit = UNIT_OF_NAME.matcher(env);
        return spec.kind() == SettingSpec.Kind.SIZE && unit.matches() && value.matches("\\d+(\\.\\d+)?")
                ? value + unit.group(1) : value;
    }

    /** Values of one source, blank ones absent, and the label of each name (a flag's option name). */
    private record Reader(Map<String, String> vars, ConfigSource source) {
        Optional<String> get(String name) {
            String v = vars.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String origin(String name) {
            return source == ConfigSource.FLAG ? FLAG_LABELS.getOrDefault(name, name) : name;
        }
    }
}
