package io.stowage.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Routes as {@code "METHOD /path"} lines, from the server and from the OpenAPI document, and how they differ. */
final class RouteCoverage {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private RouteCoverage() {
    }

    static Set<String> registered(Collection<Routes.Route> routes) {
        Set<String> out = new TreeSet<>();
        routes.forEach(r -> out.add(r.method().name() + " " + r.path()));
        return out;
    }

    static Set<String> documented(JsonNode document) {
        Set<String> out = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                out.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return out;
    }

    /** In {@code a}, not in {@code b}. */
    static Set<String> missing(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    /** Empty when both agree; else says what each lacks. */
    static String differences(Set<String> registered, Set<String> documented) {
        Set<String> undocumented = missing(registered, documented);
        Set<String> unrouted = missing(documented, registered);
        if (undocumented.isEmpty() && unrouted.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        if (!undocumented.isEmpty()) {
            b.append("registered but missing from openapi.yaml: ").append(undocumented).append(". ");
        }
        if (!unrouted.isEmpty()) {
            b.append("in openapi.yaml but no such route is registered (not landed yet, or a stale entry): ")
                    .append(unrouted).append('.');
        }
        return b.toString().trim();
    }
}
