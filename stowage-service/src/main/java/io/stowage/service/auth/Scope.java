package io.stowage.service.auth;

import io.stowage.StorageException;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
        return find(label).orElseThrow(() -> StorageException.invalidArgument("unknown scope '" + label
                + "' (read, write or admin)"));
    }

    /** The scope {@code label} names, ignoring case and surrounding blanks; empty for any other word. */
    public static Optional<Scope> find(String label) {
        for (Scope scope : values()) {
            if (scope.label().equals(label == null ? "" : label.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads labels separated by commas or white space ({@code "read,write"}, {@code "read write"}, as an OAuth 2
     * {@code scope} claim writes them); blank is no scope.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} for a label that is not a scope
     */
    public static Set<Scope> parseAll(String labels) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (labels != null) {
            for (String label : labels.trim().split("[,\\s]+")) {
                if (!label.isEmpty()) {
                    scopes.add(parse(label));
                }
            }
        }
        return Collections.unmodifiableSet(scopes);
    }

    /** {@code scopes} as an unmodifiable set that iterates in the order read, write, admin. */
    public static Set<Scope> ordered(Collection<Scope> scopes) {
        Set<Scope> copy = EnumSet.noneOf(Scope.class);
        copy.addAll(scopes);
        return Collections.unmodifiableSet(copy);
    }

    /** The labels of {@code scopes} in the order read, write, admin, joined by {@code separator}. */
    public static String labels(Collection<Scope> scopes, String separator) {
        return ordered(scopes).stream().map(Scope::label).collect(Collectors.joining(separator));
    }
}
