package io.stowage.config;

import io.stowage.composite.FallbackOn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What fails a primary over ({@code fallback_on} / {@code STOWAGE_FALLBACK_ON}, decision 0037), and the
 * fallback a specification's own choice of the primary brings: where {@code STORAGE_TYPE},
 * {@code BHIV_STORAGE_BACKEND} or a provider's primary switch ({@code USE_S3_STORAGE}) chose the primary,
 * {@code fallback_on} defaults to {@code [outage, refusal]} and {@code fallback} to {@code local} (or a local
 * backend of its own under {@code STOWAGE_HOME/fallback} where {@code local} is the mirror replica), so a
 * primary whose configuration fails falls back to local storage, as those specifications promise.
 * Elsewhere it defaults to {@code [outage]} (decision 0014).
 */
final class FallbackPolicy {

    /** The local backend a specification's primary falls back to where {@code local} is its mirror replica. */
    static final String LOCAL_FALLBACK = "local_fallback";

    private FallbackPolicy() {
    }

    /** The specification name that chose {@code primary}, if one did (not {@code PRIMARY_BACKEND}, a flag or the file). */
    static Optional<String> chosenBySpecification(Setting primary, Declarations declared) {
        if (primary.source() != ConfigSource.ENV && primary.source() != ConfigSource.DOTENV) {
            return Optional.empty();
        }
        String origin = primary.origin();
        boolean spec = EnvNames.SPEC_PRIMARY_NAMES.contains(origin)
                || declared.switches.stream().anyMatch(s -> s.primarySwitch().env().equals(origin));
        return spec ? Optional.of(origin) : Optional.empty();
    }

    /** {@code fallback_on} as set, else its default: with refusals where a specification chose the primary. */
    static Setting fallbackOn(Setting given, Optional<String> chosenBy, Problems problems) {
        if (given == null) {
            return chosenBy.map(n -> new Setting("fallback_on", "outage,refusal", ConfigSource.DEFAULT, because(n)))
                    .orElse(new Setting("fallback_on", "outage", ConfigSource.DEFAULT, null));
        }
        List<String> words = words(given);
        List<String> known = Arrays.stream(FallbackOn.values()).map(FallbackOn::word).toList();
        for (String w : words) {
            if (!known.contains(w)) {
                problems.add(Problems.label(given) + ": unknown reason '" + w + "' (known: outage, refusal)");
            }
        }
        if (!words.contains(FallbackOn.OUTAGE.word())) {
            problems.add(Problems.label(given) + ": must include outage (a primary that is away always fails over);"
                    + " write [outage, refusal] to fail over refusals too" + Problems.shown(given));
        }
        return given;
    }

    /** The reasons {@code fallback_on} names; unknown words are left out ({@link #fallbackOn} reports them). */
    static Set<FallbackOn> reasons(Setting fallbackOn) {
        Set<FallbackOn> out = EnumSet.noneOf(FallbackOn.class);
        List<String> words = words(fallbackOn);
        for (FallbackOn reason : FallbackOn.values()) {
            if (words.contains(reason.word())) {
                out.add(reason);
            }
        }
        return out;
    }

    /**
     * The fallback list: as configured, else, where a specification chose a primary other than {@code local},
     * {@code local}; or {@link #LOCAL_FALLBACK} where {@code local} is a mirror replica already
     * ({@code USE_S3_STORAGE}), since a backend plays one role: replay removes failover copies from a fallback.
     */
    static List<Setting> fallback(List<Setting> configured, Setting primary, List<Setting> mirror,
                                  Optional<String> chosenBy) {
        if (!configured.isEmpty() || chosenBy.isEmpty() || primary.value().equals(ConfigLoader.DEFAULT_PRIMARY)) {
            return configured;
        }
        boolean localMirrors = mirror.stream().anyMatch(m -> m.value().equals(ConfigLoader.DEFAULT_PRIMARY));
        return List.of(new Setting("fallback", localMirrors ? LOCAL_FALLBACK : ConfigLoader.DEFAULT_PRIMARY,
                ConfigSource.DEFAULT, because(chosenBy.get())));
    }

    /**
     * The settings of {@link #LOCAL_FALLBACK} where {@code fallback} defaulted to it: a local backend under
     * {@code STOWAGE_HOME/fallback}, each setting saying why it is there. Empty otherwise.
     */
    static Map<String, Setting> localFallbackSettings(List<Setting> fallback, Path home) {
        Optional<Setting> named = fallback.stream().filter(f -> f.source() == ConfigSource.DEFAULT
                && f.value().equals(LOCAL_FALLBACK)).findFirst();
        if (named.isEmpty()) {
            return Map.of();
        }
        String prefix = "backends." + LOCAL_FALLBACK + ".";
        return Map.of(prefix + "type", new Setting(prefix + "type", "local", ConfigSource.DEFAULT, named.get().origin()),
                prefix + "path", new Setting(prefix + "path", home.resolve("fallback").toString(), ConfigSource.DEFAULT,
                        named.get().origin()));
    }

    private static String because(String name) {
        return "because " + name + " chose the primary";
    }

    private static List<String> words(Setting s) {
        List<String> out = new ArrayList<>();
        for (String w : s.value().split(",")) {
            if (!w.isBlank()) {
                out.add(w.trim().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
