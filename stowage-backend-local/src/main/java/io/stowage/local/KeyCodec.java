package io.stowage.local;

import io.stowage.spi.io.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns key segments into file names that are the same on every file system and under every JVM
 * locale: bytes outside {@code [A-Za-z0-9._-]}, and a leading dot, become {@code %XX} (upper-case hex of
 * the UTF-8 bytes), so names are pure ASCII and never hidden. A name whose encoded form is longer than {@value #MAX_NAME} characters is
 * shortened to a readable head, {@code !} and a 128-bit hash of the segment; the real key then lives
 * only in the sidecar.
 *
 * <p>{@code ~} and {@code !} never appear in an encoded segment, so the layout uses {@code ~} to mark
 * object entries ({@code name~.json}, {@code name~<version>}) apart from directories of deeper keys.
 */
final class KeyCodec {

    /** Longest encoded segment kept as is; leaves room for suffixes under the usual 255-byte limit. */
    static final int MAX_NAME = 200;
    private static final int HEAD = 100;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private KeyCodec() {
    }

    static String encode(String segment) {
        if (plain(segment)) {
            return segment;
        }
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            // A leading dot is escaped too, so no name on disk is hidden or mistaken for the store's own files.
            if (safe(c) && !(i == 0 && c == '.')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        if (sb.length() <= MAX_NAME) {
            return sb.toString();
        }
        int cut = HEAD;
        // Do not split an escape: back up to the start of a %XX sequence.
        if (sb.charAt(cut - 1) == '%') {
            cut -= 1;
        } else if (sb.charAt(cut - 2) == '%') {
            cut -= 2;
        }
        return sb.substring(0, cut) + "!" + Sha256.of(bytes).substring(0, 32);
    }

    /** Whether {@code segment} encodes to itself: short enough, safe characters only, no leading dot. */
    private static boolean plain(String segment) {
        int n = segment.length();
        if (n > MAX_NAME || n > 0 && segment.charAt(0) == '.') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!safe(segment.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code name} was shortened with a hash (its segment cannot be decoded from it). */
    static boolean isHashed(String name) {
        return name.indexOf('!') >= 0;
    }

    /**
     * The segment an unhashed name stands for.
     *
     * @throws IllegalArgumentException when {@code name} is not something {@link #encode} produces
     */
    static String decode(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%') {
                if (i + 2 >= name.length()) {
                    throw new IllegalArgumentException("truncated escape in " + name);
                }
                out.write(Integer.parseInt(name, i + 1, i + 3, 16));
                i += 2;
            } else if (c < 0x80 && safe(c)) {
                out.write(c);
            } else {
                throw new IllegalArgumentException("not an encoded segment: " + name);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean safe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.';
    }
}
