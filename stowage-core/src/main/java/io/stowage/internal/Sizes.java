package io.stowage.internal;

import io.stowage.StorageException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses sizes ({@code 64MiB}, {@code 10MB}, {@code 1.5GB}, {@code 4k}, {@code 1048576}) and durations ({@code 30s},
 * {@code PT1M}) in settings: the one place configuration reads a size.
 */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    /**
     * A size in bytes: a whole number of bytes, or a number with a unit ({@code k}, {@code M}, {@code G},
     * {@code T}, each with an optional {@code B} or {@code iB}), a fraction allowed with a unit ({@code 1.5GB}),
     * rounded down to whole bytes.
     *
     * @throws StorageException {@code CONFIG} naming {@code what} for anything else, or a size past 2^63 - 1
     */
    public static long parse(String text, String what) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches() || (m.group(1).contains(".") && m.group(2).isEmpty())) {
            throw StorageException.config(what + " must be a size such as 8MiB or 1048576, was '" + text + "'");
        }
        java.math.BigDecimal n = new java.math.BigDecimal(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        // Binary units throughout: 8MB and 8MiB both mean 8 * 2^20, as storage tools commonly read them.
        try {
            return n.multiply(java.math.BigDecimal.valueOf(1L << shift)).setScale(0, java.math.RoundingMode.FLOOR)
                    .longValueExact();
        } catch (ArithmeticException e) {
            throw StorageException.config(what + " is too large, was '" + text + "'");
        }
    }

    public static Duration parseDuration(String text, String what) {
        String t = text.trim();
        if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw StorageException.config(what + " must be a duration such as 30s, was '" + text + "'");
            }
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            if (t.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(t));
            }
            throw StorageException.config(what + " must be a duration such as 30s, 500ms or 2m, was '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
