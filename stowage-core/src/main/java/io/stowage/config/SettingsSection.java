package io.stowage.config;

import io.stowage.spi.SettingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A section of configuration that another module owns ({@code server:}, {@code database:},
 * {@code limits:} ... of {@code stowage.yaml}, with {@code STOWAGE_*} environment names), declared the
 * way a backend provider declares its settings. A module registers its sections through
 * {@link ServiceLoader} ({@code META-INF/services/io.stowage.config.SettingsSection}); configuration then
 * reads them with the usual precedence (flags, environment, {@code .env}, yaml, defaults), checks every
 * declared value and reports unknown keys in the section with every other problem, and hands them out
 * typed through {@link StowageConfig#section(String)}.
 *
 * <p>Keys of a declared setting are relative to the section: {@code SettingSpec.of("port", Kind.INT)
 * .env("STOWAGE_PORT").defaultValue("8080")} in section {@code server} is {@code server.port} in the file.
 */
public interface SettingsSection {

    /** The top-level key of {@code stowage.yaml} ({@code server}). */
    String name();

    /** Its settings; keys outside these are reported as unknown. */
    List<SettingSpec> settings();

    /** The sections visible to {@code loader}. */
    static List<SettingsSection> load(ClassLoader loader) {
        List<SettingsSection> found = new ArrayList<>();
        ServiceLoader.load(SettingsSection.class, loader).forEach(found::add);
        return found;
    }

    /** The sections visible to this interface's class loader. */
    static List<SettingsSection> load() {
        return load(SettingsSection.class.getClassLoader());
    }
}
