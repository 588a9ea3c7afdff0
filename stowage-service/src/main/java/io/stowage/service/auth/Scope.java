package io.stowage.service.auth;

import io.stowage.StorageException;
import java.util.Locale;

/** What a credential may do: read files, write them, or administer the service. */
public enum Scope {
    READ,
    WRITE,
    ADMIN;

    /** The scope's name as credentials and the API write it: {@code read}, {@code write}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a scope as credentials write it; anything else is {@code INVALID_ARGUMENT}. */
    public static Scope parse(String label) {
        for (Scope scope : values()) {
            if (scope.label().equals(label == null ? "" : label.trim().toLowerCase(Locale.ROOT))) {
                return scope;
            }
        }
        throw StorageException.invalidArgument("unknown scope '" + label + "' (read, write or admin)");
    }
}
