package io.stowage.config;

import io.stowage.spi.SettingSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the settings sections from the merged settings: a declared section gets its defaults, and its
 * values checked against their kinds, required ones reported when missing and undeclared keys reported as
 * unknown; a section DESIGN reserves for the service but no installed module declares is carried
 * unchecked, so a {@code stowage.yaml} shared by the service and the CLI is read by both.
 */
final class Sections {

    /** The sections of {@code stowage.yaml} DESIGN §6 reserves for the service. */
    static final Set<String> RESERVED = Set.of("server", "database", "limits", "auth", "images", "scan", "maintenance");

    private final Map<String, Setting> merged;
    private final Declarations declared;
    private final Problems problems;

    Sections(Map<String, Setting> merged, Declarations declared, Problems problems) {
        this.merged = merged;
        this.declared = declared;
        this.problems = problems;
    }

    Map<String, ConfigSection> read() {
        Map<String, ConfigSection> out = new TreeMap<>();
        for (SettingsSection section : declared.sections.values()) {
            out.put(section.name(), declaredSection(section));
        }
        for (String name : RESERVED) {
            if (!out.containsKey(name)) {
                Map<String, Setting> given = given(name);
                if (!given.isEmpty()) {
                    out.put(name, new ConfigSection(name, false, given));
                }
            }
        }
        return out;
    }

    private ConfigSection declaredSection(SettingsSection section) {
        String name = section.name();
        Map<String, Setting> settings = given(name);
        Map<String, SettingSpec> specs = new LinkedHashMap<>();
        section.settings().forEach(s -> specs.put(s.key(), s));
        settings.forEach((k, s) -> {
            if (!specs.containsKey(k)) {
                problems.add(Problems.label(s) + ": unknown setting (known: " + String.join(", ", new TreeMap<>(specs)
                        .keySet()) + ")");
            }
        });
        for (SettingSpec spec : specs.values()) {
            Setting s = settings.get(spec.key());
            if (s == null && spec.defaultValue() != null) {
                settings.put(spec.key(), new Setting(name + "." + spec.key(), spec.defaultValue(), ConfigSource.DEFAULT,
                        null, spec.isSecret()));
            } else if (s != null) {
                if (spec.isSecret() && !s.declaredSecret()) {
                    s = new Setting(s.name(), s.value(), s.source(), s.origin(), true);
                    settings.put(spec.key(), s);
                }
                problems.checkKind(s, spec);
            } else if (spec.isRequired() && spec.requiredUnless().stream().noneMatch(settings::containsKey)) {
                String env = spec.env().isEmpty() ? "" : " (set " + spec.env().get(0) + ")";
                problems.add(name + "." + spec.key() + ": required" + env
                        + (spec.requiredHint() == null ? "" : " (" + spec.requiredHint() + ")"));
            }
        }
        return new ConfigSection(name, true, settings);
    }

    /** The merged settings under {@code name.}, by key relative to the section. */
    private Map<String, Setting> given(String name) {
        return under(merged, name + ".");
    }

    /** The settings whose names start with {@code prefix}, by the rest of their names, in name order. */
    static Map<String, Setting> under(Map<String, Setting> settings, String prefix) {
        Map<String, Setting> out = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** The top-level yaml keys that hold a section: declared ones and the reserved ones. */
    static Set<String> yamlKeys(Declarations declared) {
        Set<String> keys = new java.util.TreeSet<>(RESERVED);
        keys.addAll(declared.sectionKeys());
        return keys;
    }
}
