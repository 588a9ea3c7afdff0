package io.stowage.service;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition} values for a file's display name (RFC 6266): an ASCII {@code filename} for
 * old clients, with anything else replaced by {@code _}, and, when the name is not plain ASCII, a
 * {@code filename*} in UTF-8 (RFC 8187) that every current browser prefers. Quotes, backslashes, control
 * characters and path separators never reach the header.
 */
public final class ContentDisposition {

    private static final String ATTR_CHARS = "!#$&+-.^_`|~";

    private ContentDisposition() {
    }

    /** {@code attachment; filename=...}: the browser saves the file. */
    public static String attachment(FileRecord file) {
        return header("attachment", file.displayName());
    }

    /**
     * {@code inline; filename=...}: the browser may show the file, and names it so when saving. A type a browser
     * would run (SVG with its scripts, HTML) is never shown inline: it is an attachment whoever asks.
     */
    public static String inline(FileRecord file) {
        return header(ContentTypes.active(file.contentType()) ? "attachment" : "inline", file.displayName());
    }

    static String header(String type, String displayName) {
        StringBuilder fallback = new StringBuilder(displayName.length());
        boolean plain = true;
        for (int i = 0; i < displayName.length(); i++) {
            char c = displayName.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '/' || c == '%') {
                plain = false;
                fallback.append('_');
                if (Character.isHighSurrogate(c)) {
                    i++;
                }
            } else {
                fallback.append(c);
            }
        }
        String header = type + "; filename=\"" + fallback + "\"";
        return plain ? header : header + "; filename*=UTF-8''" + encode(displayName);
    }

    private static String encode(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ATTR_CHARS.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }
}
