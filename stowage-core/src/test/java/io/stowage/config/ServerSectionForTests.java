package io.stowage.config;

import io.stowage.spi.SettingSpec;
import io.stowage.spi.SettingSpec.Kind;
import java.util.List;

/**
 * A {@code server:} section as the service module will declare it, registered through
 * {@code META-INF/services} of the test resources only: core knows no section by itself.
 */
public final class ServerSectionForTests implements SettingsSection {

    @Override
    public String name() {
        return "server";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.text("host").env("STOWAGE_HOST").defaultValue("0.0.0.0"),
                SettingSpec.of("port", Kind.INT).env("STOWAGE_PORT").defaultValue("8080"),
                SettingSpec.of("max_upload_size", Kind.SIZE).env("STOWAGE_MAX_UPLOAD_SIZE").defaultValue("100MiB"),
                SettingSpec.of("idle_timeout", Kind.DURATION).defaultValue("30s"),
                SettingSpec.bool("metrics_public").env("STOWAGE_METRICS_PUBLIC").defaultValue("false"),
                SettingSpec.oneOf("link_mode", "signed", "public").env("STOWAGE_LINK_MODE"),
                SettingSpec.of("cors_origins", Kind.LIST).env("STOWAGE_CORS_ORIGINS"),
                SettingSpec.text("signing").env("STOWAGE_JWT_SECRET").secret());
    }
}
