package io.stowage.config;

import io.stowage.composite.FallbackOn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What fails a primary over ({@code fallback_on} / {@code STOWAGE_FALLBACK_ON}, decision 0037), and the
 * fallback a specification's own choice of the primary brings: where {@code STORAGE_TYPE},
 * {@code BHIV_STORAGE_BACKEND} or a provider's primary switch ({@code USE_S3_STORAGE}) chose the primary,
 * {@code fallback_on} defaults to {@code [outage, refusal]} and {@code fallback} to {@code local}, so a
 * primary whose configuration fails falls back to local storage, as those specifications promise.
 * Elsewhere it defaults to {@code [outage]} (decision 0014).
 */
final class FallbackPolicy {

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

    /** The reasons of a valid {@code fallback_on}. */
    static Set<FallbackOn> reasons(Setting fallbackOn) {
        Set<FallbackOn> out = EnumSet.noneOf(FallbackOn.class);
        words(fallbackOn).forEach(w -> out.add(FallbackOn.valueOf(w.toUpperCase(Locale.ROOT))));
        return out;
    }

    /**
     * The fallback list: as configured, else {@code local} where a specification chose a primary other than
     * {@code local} and {@code local} is not a mirror replica already (a backend plays one role).
     */
    static List<Setting> fallback(List<Setting> configured, Setting primary, List<Setting> mirror,
                                  Optional<String> chosenBy) {
        if (!configured.isEmpty() || chosenBy.isEmpty() || primary.value().equals(ConfigLoader.DEFAULT_PRIMARY)
                || mirror.stream().anyMatch(m -> m.value().equals(ConfigLoader.DEFAULT_PRIMARY))) {
            return configured;
        }
        return List.of(new Setting("fallback", ConfigLoader.DEFAULT_PRIMARY, ConfigSource.DEFAULT, because(chosenBy.get())));
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
