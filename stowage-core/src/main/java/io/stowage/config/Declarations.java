package io.stowage.config;

import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.spi.PrimarySwitch;
import io.stowage.spi.SettingSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the installed providers and settings sections declare, indexed for the loader: which
 * environment name sets which key of which backend or section, which switches choose a primary, and
 * the declared settings of every type. Configuration knows backends only through this.
 */
final class Declarations {

    /** An environment name that sets key {@code spec.key()} of the backend named (and typed) {@code backend}. */
    record BackendName(String env, String backend, SettingSpec spec) {
    }

    /** An environment name that sets key {@code spec.key()} of section {@code section}. */
    record SectionName(String env, String section, SettingSpec spec) {
    }

    /** A switch and the type it chooses. */
    record Switch(PrimarySwitch primarySwitch, String type) {
    }

    final BlobStoreProviders providers;
    final List<BackendName> backendNames = new ArrayList<>();
    final List<SectionName> sectionNames = new ArrayList<>();
    final List<Switch> switches = new ArrayList<>();
    final Map<String, SettingsSection> sections = new LinkedHashMap<>();

    Declarations(BlobStoreProviders providers, List<SettingsSection> declaredSections) {
        this.providers = providers;
        for (BlobStoreProvider p : providers.providers()) {
            for (SettingSpec spec : p.settings()) {
                spec.env().forEach(env -> backendNames.add(new BackendName(env, p.type(), spec)));
            }
            p.primarySwitches().forEach(s -> switches.add(new Switch(s, p.type())));
        }
        for (SettingsSection section : declaredSections) {
            sections.putIfAbsent(section.name(), section);
            for (SettingSpec spec : section.settings()) {
                spec.env().forEach(env -> sectionNames.add(new SectionName(env, section.name(), spec)));
            }
        }
    }

    /** Whether {@code name} is read by configuration at all (others in the environment are ignored). */
    boolean isKnownEnv(String name) {
        return EnvNames.isCoreName(name) || backendNames.stream().anyMatch(n -> n.env().equals(name))
                || sectionNames.stream().anyMatch(n -> n.env().equals(name))
                || switches.stream().anyMatch(s -> s.primarySwitch().env().equals(name));
    }

    /** The declared settings of {@code type}; empty when its provider is not installed. */
    List<SettingSpec> specs(String type) {
        return providers.find(type).map(BlobStoreProvider::settings).orElse(List.of());
    }

    /** The first environment name that sets {@code key} of the environment backend {@code backend}. */
    Optional<String> envNameFor(String backend, String key) {
        return backendNames.stream().filter(n -> n.backend().equals(backend) && n.spec().key().equals(key))
                .map(BackendName::env).findFirst();
    }

    /** The top-level yaml keys that hold a declared section. */
    Set<String> sectionKeys() {
        return sections.keySet();
    }
}
