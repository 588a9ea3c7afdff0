package io.stowage.spi;

import java.util.List;
import java.util.Objects;

/**
 * The declaration of one setting, as a backend provider ({@link BlobStoreProvider#settings()}) or a
 * settings section ({@link io.stowage.config.SettingsSection}) makes it: its key (as written in
 * {@code stowage.yaml}), the environment names that set it (strongest first), its default, whether it is
 * required or secret, and what kind of value it holds. Configuration applies the declarations: it reads
 * the environment names, fills defaults, checks kinds and reports a missing required setting naming its
 * environment variable, with every other problem at once.
 *
 * <p>Immutable; build with the static factories and the {@code with}-style methods:
 * {@code SettingSpec.text("bucket").env("MINIO_BUCKET_NAME").required().identifying()}.
 *
 * @param key the key, relative to its backend or section ({@code bucket}, {@code port})
 * @param env environment names, strongest first; within one source the first one set wins
 * @param defaultValue the default, or null for none
 * @param defaultsToHome whether the default is Stowage's home directory (a local root)
 * @param isRequired whether configuration fails without it
 * @param requiredUnless keys whose presence makes a required setting optional (one of several ways to authenticate)
 * @param requiredHint words added to the "required" problem, such as "or account_name with account_key"
 * @param isSecret whether the value is masked wherever it is shown (names such as {@code secret_key} are anyway)
 * @param kind what the value holds
 * @param words the accepted values of a {@link Kind#ONE_OF} setting, as written in the problem
 * @param isIdentifying whether one of its environment names alone makes the backend exist (a bucket, an
 *     endpoint; credentials alone do not, since {@code *_ACCESS_KEY_ID} is often set for other tools)
 */
public record SettingSpec(String key, List<String> env, String defaultValue, boolean defaultsToHome, boolean isRequired,
                          List<String> requiredUnless, String requiredHint, boolean isSecret, Kind kind,
                          List<String> words, boolean isIdentifying) {

    /** What a value holds; configuration checks it and reports a value that is not one. */
    public enum Kind {
        /** Any text. */
        TEXT,
        /** true/false (also yes/no, on/off, 1/0). */
        BOOLEAN,
        /** One of {@link #words()}, ignoring case. */
        ONE_OF,
        /** A file or directory, resolved against the working directory. */
        PATH,
        /** A whole number. */
        INT,
        /** A size such as {@code 8MiB} or {@code 1048576}. */
        SIZE,
        /** A positive duration such as {@code 30s} or {@code 500ms}. */
        DURATION,
        /** Comma-separated values (a list in {@code stowage.yaml}). */
        LIST
    }

    public SettingSpec {
        Objects.requireNonNull(key, "key");
        env = List.copyOf(env);
        requiredUnless = List.copyOf(requiredUnless);
        words = List.copyOf(words);
        Objects.requireNonNull(kind, "kind");
    }

    /** A setting of {@code kind}, optional, no default, no environment name. */
    public static SettingSpec of(String key, Kind kind) {
        return new SettingSpec(key, List.of(), null, false, false, List.of(), null, false, kind, List.of(), false);
    }

    public static SettingSpec text(String key) {
        return of(key, Kind.TEXT);
    }

    public static SettingSpec bool(String key) {
        return of(key, Kind.BOOLEAN);
    }

    public static SettingSpec path(String key) {
        return of(key, Kind.PATH);
    }

    /** A setting that takes one of {@code words} (compared ignoring case). */
    public static SettingSpec oneOf(String key, String... words) {
        return new SettingSpec(key, List.of(), null, false, false, List.of(), null, false, Kind.ONE_OF, List.of(words), false);
    }

    /** The same setting, also set by these environment names (after those it has). */
    public SettingSpec env(String... names) {
        List<String> all = new java.util.ArrayList<>(env);
        all.addAll(List.of(names));
        return new SettingSpec(key, all, defaultValue, defaultsToHome, isRequired, requiredUnless, requiredHint, isSecret,
                kind, words, isIdentifying);
    }

    public SettingSpec defaultValue(String value) {
        return new SettingSpec(key, env, value, false, isRequired, requiredUnless, requiredHint, isSecret, kind, words,
                isIdentifying);
    }

    /** The default is Stowage's home directory, shown as coming from {@code STOWAGE_HOME}. */
    public SettingSpec defaultHome() {
        return new SettingSpec(key, env, null, true, isRequired, requiredUnless, requiredHint, isSecret, kind, words,
                isIdentifying);
    }

    public SettingSpec required() {
        return new SettingSpec(key, env, defaultValue, defaultsToHome, true, requiredUnless, requiredHint, isSecret, kind,
                words, isIdentifying);
    }

    /**
     * Required unless one of {@code otherKeys} is set; {@code hint} is added to the problem in parentheses.
     */
    public SettingSpec requiredUnless(String hint, String... otherKeys) {
        return new SettingSpec(key, env, defaultValue, defaultsToHome, true, List.of(otherKeys), hint, isSecret, kind,
                words, isIdentifying);
    }

    public SettingSpec secret() {
        return new SettingSpec(key, env, defaultValue, defaultsToHome, isRequired, requiredUnless, requiredHint, true,
                kind, words, isIdentifying);
    }

    /** Its environment names alone make the backend exist (see {@link #isIdentifying()}). */
    public SettingSpec identifying() {
        return new SettingSpec(key, env, defaultValue, defaultsToHome, isRequired, requiredUnless, requiredHint, isSecret,
                kind, words, true);
    }
}
