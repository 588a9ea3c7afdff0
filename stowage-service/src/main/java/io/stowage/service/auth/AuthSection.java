package io.stowage.service.auth;

import io.stowage.config.SettingsSection;
import io.stowage.spi.SettingSpec;
import java.util.List;

/**
 * The {@code auth:} section of {@code stowage.yaml}, declared to the configuration through
 * {@code META-INF/services/io.stowage.config.SettingsSection}: how JWT bearer tokens are checked (decision 0039).
 * API keys need no setting. {@link AuthSettings} checks what a kind cannot say.
 *
 * <pre>
 * auth: { jwt_secret: "${JWT_SECRET}", jwt_jwks_url: https://login.example.com/.well-known/jwks.json,
 *         jwt_issuer: https://login.example.com/, jwt_audience: stowage }
 * </pre>
 */
public final class AuthSection implements SettingsSection {

    static final String NAME = "auth";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.text("jwt_secret").env("STOWAGE_JWT_SECRET").secret(),
                SettingSpec.text("jwt_jwks_url").env("STOWAGE_JWT_JWKS_URL"),
                SettingSpec.text("jwt_issuer").env("STOWAGE_JWT_ISSUER"),
                SettingSpec.text("jwt_audience").env("STOWAGE_JWT_AUDIENCE"));
    }
}
