package io.stowage.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The inputs configuration is read from: command-line flags (by their environment names, e.g.
 * {@code PRIMARY_BACKEND}, {@code STOWAGE_CONFIG}), the environment, and the working directory that
 * holds {@code .env} and {@code stowage.yaml} and against which relative paths are resolved.
 *
 * <p>Injectable so that tests never depend on the real environment.
 */
public record ConfigSources(Map<String, String> flags, Map<String, String> env, Path workingDir) {

    public ConfigSources {
        flags = Map.copyOf(Objects.requireNonNull(flags, "flags"));
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        workingDir = workingDir.toAbsolutePath().normalize();
    }

    /** The process environment and working directory, with these flags. */
    public static ConfigSources system(Map<String, String> flags) {
        return new ConfigSources(flags, System.getenv(), Path.of("").toAbsolutePath());
    }

    /** The given environment and working directory, no flags. */
    public static ConfigSources of(Map<String, String> env, Path workingDir) {
        return new ConfigSources(Map.of(), env, workingDir);
    }

    public ConfigSources withFlags(Map<String, String> flags) {
        return new ConfigSources(flags, env, workingDir);
    }

    @Override
    public String toString() {
        // Environments hold secrets: never print them.
        return "ConfigSources[" + flags.size() + " flags, " + env.size() + " env vars, " + workingDir + "]";
    }
}
