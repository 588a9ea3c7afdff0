package io.stowage.spi;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Metadata values as HTTP headers carry them ({@code x-amz-meta-*}, {@code x-ms-meta-*}): services
 * refuse bytes outside printable ASCII and HTTP strips leading and trailing spaces. Values that would
 * not survive are sent as RFC 2047 encoded words ({@code =?UTF-8?B?...?=}, the form S3 itself uses
 * when it returns such values), so every value round-trips exactly. A plain value that happens to
 * look like an encoded word is encoded too, so decoding is never ambiguous.
 */
public final class HeaderValues {

    private static final String PREFIX = "=?UTF-8?B?";
    private static final String SUFFIX = "?=";

    private HeaderValues() {
    }

    /** {@code value} as a header can carry it. */
    public static String encode(String value) {
        if (isSafe(value)) {
            return value;
        }
        return PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + SUFFIX;
    }

    /** The value {@link #encode} was given; any other header value as it is. */
    public static String decode(String value) {
        if (value.length() >= PREFIX.length() + SUFFIX.length() && value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                && value.endsWith(SUFFIX)) {
            try {
                byte[] bytes = Base64.getDecoder().decode(value.substring(PREFIX.length(), value.length() - SUFFIX.length()));
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return value;
            }
        }
        return value;
    }

    private static boolean isSafe(String value) {
        if (value.isEmpty()) {
            // Some servers drop or mis-sign headers with empty values.
            return false;
        }
        if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ' || value.startsWith("=?")) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
