package io.stowage.config;

import io.stowage.spi.Secrets;

/**
 * One effective configuration value: its canonical name ({@code primary}, {@code home},
 * {@code backends.minio.bucket}, {@code server.port}, ...), its value, the source that won, and the name
 * it had there ({@code MINIO_BUCKET_NAME}, {@code stowage.yaml line 4}, ...).
 *
 * @param declaredSecret whether its declaration ({@link io.stowage.spi.SettingSpec#secret()}) says it is secret
 */
public record Setting(String name, String value, ConfigSource source, String origin, boolean declaredSecret) {

    public Setting(String name, String value, ConfigSource source, String origin) {
        this(name, value, source, origin, false);
    }

    /**
     * Whether the value is a secret: declared so, or judged by the canonical name and the name it was
     * given as.
     */
    public boolean secret() {
        String last = name.substring(name.lastIndexOf('.') + 1);
        boolean envName = origin != null && origin.matches("[A-Z][A-Z0-9_]*");
        return declaredSecret || Secrets.isSecret(last) || (envName && Secrets.isSecret(origin));
    }

    /**
     * The name a person used for it, as configuration's own problems name it: the environment name, or the file
     * and line plus the key ({@code stowage.yaml line 4: server.port}).
     */
    public String label() {
        return Problems.label(this);
    }

    /** The value as it may be printed: masked when secret. */
    public String shownValue() {
        return secret() ? Secrets.mask(value) : value;
    }

    /** The same setting under another name or with another value, keeping source, origin and secrecy. */
    Setting with(String newName, String newValue) {
        return new Setting(newName, newValue, source, origin, declaredSecret);
    }

    @Override
    public String toString() {
        return name + "=" + shownValue() + " (" + source.label() + (origin == null ? "" : " " + origin) + ")";
    }
}
