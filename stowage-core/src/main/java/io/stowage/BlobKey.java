package io.stowage;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A validated object key: the only way a key enters Stowage. Validation happens once, here, so
 * every backend can trust the value.
 *
 * <p>A valid key is UTF-8 of 1 to 1024 bytes, made of {@code /}-separated segments, with no empty,
 * {@code .} or {@code ..} segment (so no leading, trailing or doubled {@code /}), no backslash,
 * and no NUL or other control character (U+0000-U+001F, U+007F-U+009F). Percent signs are ordinary
 * characters and never decoded, but a segment that would decode to {@code .} or {@code ..}
 * ({@code %2e}, {@code %2E%2e}, {@code .%2e}) is refused too, so that no layer which does decode can
 * be steered out of a folder. A key and keys below it ({@code a} and
 * {@code a/b}) may both exist, as in S3.
 *
 * <p>Keys compare in UTF-8 byte order, the order every listing uses.
 */
public final class BlobKey implements Comparable<BlobKey> {

    /** Longest key in UTF-8 bytes, as S3 allows. */
    public static final int MAX_BYTES = 1024;

    private final String value;
    private final byte[] utf8;

    private BlobKey(String value, byte[] utf8) {
        this.value = value;
        this.utf8 = utf8;
    }

    /**
     * Validates {@code key} and returns it as a {@code BlobKey}.
     *
     * @throws StorageException of kind {@link ErrorKind#INVALID_KEY} saying what is wrong
     */
    public static BlobKey of(String key) {
        if (key == null) {
            throw StorageException.invalidKey("", "key is missing");
        }
        String problem = problem(key);
        if (problem != null) {
            throw StorageException.invalidKey(key, problem);
        }
        return new BlobKey(key, key.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code key} would be accepted by {@link #of(String)}. */
    public static boolean isValid(String key) {
        return key != null && problem(key) == null;
    }

    /** Joins segments with {@code /} and validates the result. */
    public static BlobKey join(String first, String... more) {
        StringBuilder sb = new StringBuilder(first);
        for (String s : more) {
            sb.append('/').append(s);
        }
        return of(sb.toString());
    }

    /** The reason {@code key} is invalid, or {@code null} when it is valid. */
    static String problem(String key) {
        if (key.isEmpty()) {
            return "key is empty";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == 0) {
                return "NUL character at position " + i;
            }
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return "control character U+" + String.format("%04X", (int) c) + " at position " + i;
            }
            if (c == '\\') {
                return "backslash at position " + i + " (use '/' to separate segments)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
                    return "unpaired surrogate at position " + i + " (not valid UTF-8)";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "unpaired surrogate at position " + i + " (not valid UTF-8)";
            }
        }
        int bytes = utf8Length(key);
        if (bytes > MAX_BYTES) {
            return "key is " + bytes + " bytes of UTF-8, more than " + MAX_BYTES;
        }
        if (key.charAt(0) == '/') {
            return "key starts with '/' (keys are relative)";
        }
        if (key.charAt(key.length() - 1) == '/') {
            return "key ends with '/' (a key names an object, not a folder)";
        }
        int start = 0;
        while (start <= key.length()) {
            int end = key.indexOf('/', start);
            if (end < 0) {
                end = key.length();
            }
            int length = end - start;
            if (length == 0) {
                return "empty segment at position " + start + " ('//')";
            }
            // Only a short segment can be (or decode to) a relative one: no copy of the others (every read checks a key).
            if (length > 6) {
                start = end + 1;
                continue;
            }
            String segment = key.substring(start, end);
            if (segment.equals(".") || segment.equals("..")) {
                return "segment '" + segment + "' at position " + start + " (no relative paths)";
            }
            if (segment.indexOf('%') >= 0) {
                String decoded = segment.replace("%2e", ".").replace("%2E", ".");
                if (decoded.equals(".") || decoded.equals("..")) {
                    return "segment '" + segment + "' at position " + start + " decodes to '" + decoded
                            + "' (no encoded relative paths)";
                }
            }
            start = end + 1;
        }
        return null;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The key as text. */
    public String value() {
        return value;
    }

    /** The key as UTF-8 bytes (a copy). */
    public byte[] utf8() {
        return utf8.clone();
    }

    /** Length of the key in UTF-8 bytes. */
    public int utf8Length() {
        return utf8.length;
    }

    /** The segments between {@code /}, in order. */
    public List<String> segments() {
        return List.of(value.split("/", -1));
    }

    /** The last segment, the object's own name. */
    public String name() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? value : value.substring(slash + 1);
    }

    /** Whether this key lies under {@code prefix} (plain string prefix, as S3 matches). */
    public boolean startsWith(String prefix) {
        return value.startsWith(prefix);
    }

    /** This key with {@code prefix} in front; {@code prefix} should end with {@code /} to add a folder. */
    public BlobKey withPrefix(String prefix) {
        return of(prefix + value);
    }

    @Override
    public int compareTo(BlobKey other) {
        return compareUtf8(this.value, other.value);
    }

    /**
     * Compares two strings in UTF-8 byte order without encoding them. UTF-16 order differs from it
     * only for supplementary characters against U+E000-U+FFFF, which this handles.
     */
    public static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                boolean sa = Character.isSurrogate(ca);
                boolean sb = Character.isSurrogate(cb);
                if (sa != sb) {
                    // A surrogate (4-byte UTF-8, lead byte F0-F4) sorts after every BMP char, even U+E000-U+FFFF.
                    return sa ? 1 : -1;
                }
                return Character.compare(ca, cb);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobKey k && k.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }

    static BlobKey trusted(String value) {
        return new BlobKey(Objects.requireNonNull(value), value.getBytes(StandardCharsets.UTF_8));
    }
}
