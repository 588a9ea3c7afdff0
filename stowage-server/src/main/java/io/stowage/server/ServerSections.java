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
 * server: { host: 0.0.0.0, port: 8080, public_url: https://files.example.com, shutdown_grace: 30s,
 *           metrics_public: false, cors_origins: [https://app.example.com], tls_cert: cert.pem, tls_key: key.pem,
 *           idle_timeout: 30s, header_timeout: 10s, max_header_size: 16KiB, max_body_size: 1MiB,
 *           rate_limit: 100, rate_limit_burst: 300 }
 * </pre>
 */
public final class ServerSections {

    static final String SERVER = "server";

    private ServerSections() {
    }

    /**
     * {@code server:}: where the server listens, how links name it, how long a shutdown waits; who reads its
     * metrics, which origins may call it from a browser, its TLS files, and the limits that guard it against
     * slow, large and too many requests (decision 0044).
     */
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
                    SettingSpec.of("shutdown_grace", Kind.DURATION).env("STOWAGE_SHUTDOWN_GRACE").defaultValue("30s"),
                    SettingSpec.of("metrics_public", Kind.BOOLEAN).env("STOWAGE_METRICS_PUBLIC").defaultValue("false"),
                    SettingSpec.of("cors_origins", Kind.LIST).env("STOWAGE_CORS_ORIGINS"),
                    SettingSpec.of("tls_cert", Kind.PATH).env("STOWAGE_TLS_CERT"),
                    SettingSpec.of("tls_key", Kind.PATH).env("STOWAGE_TLS_KEY"),
                    SettingSpec.of("idle_timeout", Kind.DURATION).env("STOWAGE_IDLE_TIMEOUT").defaultValue("30s"),
                    SettingSpec.of("header_timeout", Kind.DURATION).env("STOWAGE_HEADER_TIMEOUT").defaultValue("10s"),
                    SettingSpec.of("max_header_size", Kind.SIZE).env("STOWAGE_MAX_HEADER_SIZE").defaultValue("16KiB"),
                    SettingSpec.of("max_body_size", Kind.SIZE).env("STOWAGE_MAX_BODY_SIZE").defaultValue("1MiB"),
                    SettingSpec.of("rate_limit", Kind.INT).env("STOWAGE_RATE_LIMIT").defaultValue("100"),
                    SettingSpec.of("rate_limit_burst", Kind.INT).env("STOWAGE_RATE_LIMIT_BURST").defaultValue("300"));
        }
    }
}
