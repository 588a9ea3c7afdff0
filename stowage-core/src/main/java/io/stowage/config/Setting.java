package io.stowage.config;

import io.stowage.spi.Secrets;

/**
 * One effective configuration value: its canonical name ({@code primary}, {@code home},
 * {@code backends.minio.bucket}, ...), its value, the source that won, and the name it had there
 * ({@code MINIO_BUCKET_NAME}, {@code stowage.yaml line 4}, ...).
 */
public record Setting(String name, String value, ConfigSource source, String origin) {

    /** Whether the value is a secret (judged by the canonical name and the name it was given as). */
    public boolean secret() {
        String last = name.substring(name.lastIndexOf('.') + 1);
        boolean envName = origin != null && origin.matches("[A-Z][A-Z0-9_]*");
        return Secrets.isSecret(last) || (envName && Secrets.isSecret(origin));
    }

    /** The value as it may be printed: masked when secret. */
    public String shownValue() {
        return secret() ? Secrets.mask(value) : value;
    }

    @Override
    public String toString() {
        return name + "=" + shownValue() + " (" + source.label() + (origin == null ? "" : " " + origin) + ")";
    }
}
