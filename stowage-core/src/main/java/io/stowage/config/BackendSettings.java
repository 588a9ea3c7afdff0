package io.stowage.config;

import io.stowage.spi.SettingSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds one configured backend from the merged settings: its type (given, implied by an environment
 * name, or its own name when that is a known type), the declared defaults of its type, paths resolved
 * against the working directory, and, for a backend in use, the checks its declarations and the
 * settings every backend shares (layers, {@code prefix}, {@code read_only}) call for.
 */
final class BackendSettings {

    private final Map<String, Setting> merged;
    private final Map<String, Setting> impliedTypes;
    private final Declarations declared;
    private final Problems problems;
    private final Path workingDir;

    BackendSettings(Map<String, Setting> merged, Map<String, Setting> impliedTypes, Declarations declared,
                    Problems problems, Path workingDir) {
        this.merged = merged;
        this.impliedTypes = impliedTypes;
        this.declared = declared;
        this.problems = problems;
        this.workingDir = workingDir;
    }

    StowageConfig.Backend backend(String name, Path home, boolean validate) {
        String prefix = "backends." + name + ".";
        Map<String, Setting> settings = Sections.under(merged, prefix);
        Sections.under(merged, "layers.").forEach(settings::putIfAbsent);
        Setting typeSetting = settings.remove("type");
        if (typeSetting == null) {
            typeSetting = impliedTypes.get(name);
        }
        if (typeSetting == null && declared.providers.isKnownType(name) && !declared.providers.isAlias(name)) {
            typeSetting = new Setting(prefix + "type", name, ConfigSource.DEFAULT, null);
        }
        String type;
        if (typeSetting == null) {
            if (validate) {
                problems.add(problems.at(prefix + "type") + prefix + "type: required (one of "
                        + String.join(", ", declared.providers.knownTypes()) + ", or another installed type)");
            }
            type = "";
        } else {
            type = declared.providers.canonicalType(typeSetting.value());
            typeSetting = typeSetting.with(prefix + "type", type);
        }
        List<SettingSpec> specs = declared.specs(type);
        for (SettingSpec spec : specs) {
            Setting s = settings.get(spec.key());
            if (s == null && spec.defaultsToHome()) {
                settings.put(spec.key(), new Setting(prefix + spec.key(), home.toString(), ConfigSource.DEFAULT,
                        EnvNames.STOWAGE_HOME));
            } else if (s == null && spec.defaultValue() != null) {
                settings.put(spec.key(), new Setting(prefix + spec.key(), spec.defaultValue(), ConfigSource.DEFAULT, null));
            } else if (s != null && spec.isSecret() && !s.declaredSecret()) {
                settings.put(spec.key(), new Setting(s.name(), s.value(), s.source(), s.origin(), true));
            }
            Setting given = settings.get(spec.key());
            if (given != null && spec.kind() == SettingSpec.Kind.PATH) {
                settings.put(spec.key(), given.with(given.name(), workingDir.resolve(given.value()).normalize().toString()));
            }
        }
        if (validate) {
            validate(name, specs, settings);
        }
        return new StowageConfig.Backend(name, typeSetting, settings);
    }

    private void validate(String name, List<SettingSpec> specs, Map<String, Setting> settings) {
        settings.forEach((k, s) -> {
            Problems.LayerValue layer = ConfigLoader.LAYER_KEYS.get(k);
            if (layer != null && s.name().startsWith("backends.")) {
                problems.checkLayerValue(s, layer);
            }
            if (k.equals("read_only") && Problems.parseBoolean(s.value()).isEmpty()) {
                problems.add(Problems.label(s) + ": must be true or false" + Problems.shown(s));
            }
            if (k.equals("prefix")) {
                problems.checkPrefix(s);
            }
        });
        for (SettingSpec spec : specs) {
            Setting s = settings.get(spec.key());
            if (s != null) {
                problems.checkKind(s, spec);
            } else if (spec.isRequired() && spec.requiredUnless().stream().noneMatch(settings::containsKey)) {
                problems.add(missing(name, spec.key())
                        + (spec.requiredHint() == null ? "" : " (" + spec.requiredHint() + ")"));
            }
        }
    }

    private String missing(String name, String key) {
        String canonical = "backends." + name + "." + key;
        String hint = declared.envNameFor(name, key).map(env -> " (set " + env + ")").orElse("");
        return problems.at("backends." + name) + canonical + ": required" + hint;
    }
}
