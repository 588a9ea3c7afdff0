package io.stowage.service.auth;

/**
 * The form of an owner id, as every service call checks it: 1 to 128 letters, digits, {@code . _ @ -}, starting
 * with a letter or digit. Credentials check it too, so a token for an owner the service would refuse is refused
 * as a credential (401), not on every call (400).
 */
public final class OwnerIds {

    private OwnerIds() {
    }

    /** Whether {@code owner} is an owner id; checked by hand, as every request checks one (decision 0082). */
    public static boolean valid(String owner) {
        if (owner == null || owner.isEmpty() || owner.length() > 128 || !letterOrDigit(owner.charAt(0))) {
            return false;
        }
        for (int i = 1; i < owner.length(); i++) {
            char c = owner.charAt(i);
            if (!letterOrDigit(c) && c != '.' && c != '_' && c != '@' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean letterOrDigit(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }
}
