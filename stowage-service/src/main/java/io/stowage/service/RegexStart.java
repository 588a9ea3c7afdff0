package io.stowage.service;

/**
 * The characters a match of a regular expression must start with, for the simplest shapes only: an optional
 * {@code (?s)}, then one literal character, one {@code \xHH}, or a class of such ({@code [\x0D\x0A]}), not
 * repeated (no {@code ? * + {} after it), with no alternation anywhere. Anything else answers null ("any
 * character"): a wrong answer here would make {@link MagicTypes} skip an offset Tika matches, so every doubt says
 * null.
 */
final class RegexStart {

    private static final String META = "\\.[](){}*+?|^$";

    private RegexStart() {
    }

    /** By char value 0 to 255; null when any character may start a match (or the shape is not one of the simple ones). */
    static boolean[] firstChars(String regex, boolean ignoreCase) {
        if (ignoreCase || regex.indexOf('|') >= 0) {
            return null;
        }
        String s = regex.startsWith("(?s)") ? regex.substring(4) : regex;
        boolean[] set = new boolean[256];
        int next;
        if (s.startsWith("[")) {
            int i = 1;
            boolean any = false;
            while (i < s.length() && s.charAt(i) != ']') {
                int c = hex(s, i);
                if (c >= 0) {
                    i += 4;
                } else {
                    c = s.charAt(i);
                    if (c >= 256 || "\\^-[]&".indexOf(c) >= 0) {
                        return null;
                    }
                    i++;
                }
                set[c] = true;
                any = true;
            }
            if (i >= s.length() || !any) {
                return null;
            }
            next = i + 1;
        } else if (hex(s, 0) >= 0) {
            set[hex(s, 0)] = true;
            next = 4;
        } else if (!s.isEmpty() && s.charAt(0) < 256 && META.indexOf(s.charAt(0)) < 0) {
            set[s.charAt(0)] = true;
            next = 1;
        } else {
            return null;
        }
        if (next < s.length() && "?*+{".indexOf(s.charAt(next)) >= 0) {
            return null;
        }
        return set;
    }

    /** The value of {@code \xHH} at {@code at}, or -1 when there is none. */
    private static int hex(String s, int at) {
        if (at + 4 > s.length() || s.charAt(at) != '\\' || s.charAt(at + 1) != 'x') {
            return -1;
        }
        int hi = Character.digit(s.charAt(at + 2), 16);
        int lo = Character.digit(s.charAt(at + 3), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }
}
