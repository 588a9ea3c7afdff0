package io.stowage.server;

import io.stowage.config.SettingsSection;
import io.stowage.spi.SettingSpec;
import io.stowage.spi.SettingSpec.Kind;
import java.util.List;

/**
 * The {@code server:} section of {@code stowage.yaml}, declared to the configuration through
 * {@code META-INF/services/io.stowage.config.SettingsSection}, each key with its {@code STOWAGE_*} name.
 *
 * <pre>
 * server: { host: 0.0.0.0, port: 8080, public_url: https://files.example.com, shutdown_grace: 30s }
 * </pre>
 */
public final class ServerSections {

    static final String SERVER = "server";

    private ServerSections() {
    }

    /** {@code server:}: where the server listens, how links name it, how long a shutdown waits. */
    public static final class Server implements SettingsSection {
        @Override
        public String name() {
            return SERVER;
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.text("host").env("STOWAGE_HOST").defaultValue("127.0.0.1"),
                    SettingSpec.of("port", Kind.INT).env("STOWAGE_PORT").defaultValue("8080"),
                    SettingSpec.text("public_url").env("STOWAGE_PUBLIC_URL"),
                    SettingSpec.of("shutdown_grace", Kind.DURATION).env("STOWAGE_SHUTDOWN_GRACE").defaultValue("30s"));
        }
    }
}
