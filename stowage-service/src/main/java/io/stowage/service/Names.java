package io.stowage.service;

import io.stowage.StorageException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * Owner ids and file names. A name is what the owner calls a file, kept for listing by prefix; it
 * never becomes part of a backend key. What is kept is cleaned: NFC, no control or bidirectional
 * formatting characters (which could make a name look like another), trimmed.
 */
final class Names {

    static final int MAX_NAME_BYTES = 1024;
    private static final Pattern SEGMENT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern INVISIBLE = Pattern.compile(
            "[\\p{Cc}\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ufeff]");

    private Names() {
    }

    /**
     * @throws StorageException {@code INVALID_ARGUMENT} unless {@code owner} is 1 to 128 letters, digits,
     *     {@code . _ @ -}, starting with a letter or digit
     */
    static String owner(String owner) {
        if (!io.stowage.service.auth.OwnerIds.valid(owner)) {
            throw StorageException.invalidArgument("owner id must be 1 to 128 letters, digits, '.', '_', '@' or '-',"
                    + " starting with a letter or digit");
        }
        return owner;
    }

    /**
     * @throws StorageException {@code INVALID_ARGUMENT} unless {@code segment} is 1 to 64 of {@code a-z 0-9 . _ -},
     *     starting with a letter or digit
     */
    static String segment(String segment) {
        if (segment == null || !SEGMENT.matcher(segment).matches()) {
            throw StorageException.invalidArgument("a segment must be 1 to 64 lower-case letters, digits, '.', '_' or"
                    + " '-', starting with a letter or digit");
        }
        return segment;
    }

    /**
     * The cleaned name.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} when nothing is left or it is over 1024 bytes
     */
    static String clean(String name) {
        if (name == null) {
            throw StorageException.invalidArgument("a file needs a name");
        }
        String cleaned = INVISIBLE.matcher(Normalizer.normalize(name, Normalizer.Form.NFC)).replaceAll("").strip();
        if (cleaned.isEmpty()) {
            throw StorageException.invalidArgument("a file needs a name with at least one visible character");
        }
        if (cleaned.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw StorageException.invalidArgument("a file name may be at most " + MAX_NAME_BYTES + " bytes of UTF-8");
        }
        return cleaned;
    }

    /** The part of a cleaned name to show or offer as a download name: its last path segment. */
    static String display(String name) {
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        String last = name.substring(slash + 1).strip();
        return last.isEmpty() || last.equals(".") || last.equals("..") ? "file" : last;
    }
}
