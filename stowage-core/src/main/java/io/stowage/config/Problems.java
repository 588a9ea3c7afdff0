package io.stowage.config;

import io.stowage.spi.SettingSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The problems found while loading configuration, collected so that every one is reported at once,
 * and the checks that find them. Each problem names the setting the way a person wrote it: the
 * environment name, or the file and line plus the key.
 */
final class Problems {

    /** What a layer setting holds: a duration, a positive count, or one of a few words. */
    enum LayerValue { DURATION, COUNT, TIMEOUT_MODE }

    private final List<String> found = new ArrayList<>();
    private final Map<String, Integer> yamlLines = new LinkedHashMap<>();
    private String yamlLabel = "stowage.yaml";

    void add(String problem) {
        found.add(problem);
    }

    List<String> list() {
        return found;
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Remembers where a yaml key is, for {@link #at}. */
    void yamlLine(String label, String key, int line) {
        yamlLabel = label;
        yamlLines.putIfAbsent(key, line);
    }

    /** Where a yaml-defined setting is, as a message prefix; empty for others. */
    String at(String key) {
        Integer line = yamlLines.get(key);
        if (line == null && key.endsWith(".type")) {
            line = yamlLines.get(key.substring(0, key.length() - ".type".length()));
        }
        return line == null ? "" : yamlLabel + " line " + line + ": ";
    }

    /** The name a person used for a setting: the environment name, or file and line plus key. */
    static String label(Setting s) {
        if (s.source() == ConfigSource.YAML) {
            return s.origin() + ": " + s.name();
        }
        return s.origin() == null ? s.name() : s.origin();
    }

    static String shown(Setting s) {
        return s.secret() ? "" : ", was '" + s.value() + "'";
    }

    /** "a, b or c". */
    static String either(List<String> words) {
        if (words.size() == 1) {
            return words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    static Optional<Boolean> parseBoolean(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> Optional.of(true);
            case "false", "no", "off", "0" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** Checks a value against its declared kind. */
    void checkKind(Setting s, SettingSpec spec) {
        String v = s.value().trim();
        String why = switch (spec.kind()) {
            case BOOLEAN -> parseBoolean(v).isPresent() ? null : "must be true or false";
            case ONE_OF -> spec.words().stream().anyMatch(w -> w.equalsIgnoreCase(v)) ? null
                    : "must be " + either(spec.words());
            case INT -> v.matches("-?[0-9]{1,18}") ? null : "must be a whole number";
            case SIZE -> parses(() -> io.stowage.internal.Sizes.parse(v, s.name())) ? null
                    : "must be a size such as 8MiB or 1048576";
            case DURATION -> positiveDuration(s) ? null : "must be a positive duration such as 30s or 500ms";
            case TEXT, PATH, LIST -> null;
        };
        if (why != null) {
            add(label(s) + ": " + why + shown(s));
        }
    }

    /** A positive duration, a positive whole number, or {@code watchdog}/{@code handoff}, as {@code kind} says. */
    void checkLayerValue(Setting s, LayerValue kind) {
        String v = s.value().trim();
        boolean ok = switch (kind) {
            case TIMEOUT_MODE -> v.equalsIgnoreCase("watchdog") || v.equalsIgnoreCase("handoff");
            case DURATION -> positiveDuration(s);
            case COUNT -> v.matches("[0-9]{1,9}") && Long.parseLong(v) > 0
                    && (!s.name().endsWith("failure_rate") || Long.parseLong(v) <= 100);
        };
        if (!ok) {
            add(label(s) + switch (kind) {
                case DURATION -> ": must be a positive duration such as 30s or 500ms";
                case COUNT -> ": must be a positive whole number";
                case TIMEOUT_MODE -> ": must be watchdog or handoff";
            } + shown(s));
        }
    }

    /** The prefix layer's namespace: key segments ending with {@code /}, such as {@code tenant-a/}. */
    void checkPrefix(Setting s) {
        String v = s.value();
        String why = null;
        if (v.isEmpty() || !v.endsWith("/")) {
            why = "must end with '/'";
        } else {
            try {
                io.stowage.BlobKey.of(v.substring(0, v.length() - 1));
            } catch (io.stowage.StorageException e) {
                why = "must be key segments ending with '/' (" + e.reason() + ")";
            }
        }
        if (why != null) {
            add(label(s) + ": " + why + ", such as 'tenant-a/'" + shown(s));
        }
    }

    private static boolean positiveDuration(Setting s) {
        try {
            java.time.Duration d = io.stowage.internal.Sizes.parseDuration(s.value().trim(), s.name());
            return !d.isNegative() && !d.isZero();
        } catch (io.stowage.StorageException e) {
            return false;
        }
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (io.stowage.StorageException e) {
            return false;
        }
    }
}
