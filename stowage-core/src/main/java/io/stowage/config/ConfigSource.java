package io.stowage.config;

/** Where a configuration value came from, highest precedence first. */
public enum ConfigSource {
    FLAG("flag"),
    ENV("env"),
    DOTENV(".env"),
    YAML("yaml"),
    DEFAULT("default");

    private final String label;

    ConfigSource(String label) {
        this.label = label;
    }

    /** The short name shown by {@code stowage config show}. */
    public String label() {
        return label;
    }
}
