package io.stowage.service.auth;

import java.util.regex.Pattern;

/**
 * The form of an owner id, as every service call checks it: 1 to 128 letters, digits, {@code . _ @ -}, starting
 * with a letter or digit. Credentials check it too, so a token for an owner the service would refuse is refused
 * as a credential (401), not on every call (400).
 */
public final class OwnerIds {

    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    private OwnerIds() {
    }

    /** Whether {@code owner} is an owner id. */
    public static boolean valid(String owner) {
        return owner != null && OWNER.matcher(owner).matches();
    }
}
