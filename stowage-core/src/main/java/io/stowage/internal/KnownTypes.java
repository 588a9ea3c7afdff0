package io.stowage.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data file {@code known-types.txt} beside this class: the backend types Stowage knows by name and
 * the module that ships each, for the message about a module that is absent. Code names no type.
 */
final class KnownTypes {

    /** One line of the file: a type (or alias of {@code aliasOf}) and its module. */
    record Entry(String type, String module, String aliasOf) {
    }

    static final Map<String, Entry> ENTRIES = read();

    private KnownTypes() {
    }

    /** The types (not aliases), in the file's order. */
    static List<String> types() {
        List<String> out = new ArrayList<>();
        ENTRIES.values().forEach(e -> {
            if (e.aliasOf() == null) {
                out.add(e.type());
            }
        });
        return out;
    }

    private static Map<String, Entry> read() {
        Map<String, Entry> out = new LinkedHashMap<>();
        try (InputStream in = KnownTypes.class.getResourceAsStream("known-types.txt")) {
            if (in == null) {
                return out;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String[] cols = line.strip().split("\\s+");
                if (cols.length < 2 || cols[0].startsWith("#")) {
                    continue;
                }
                out.put(cols[0], new Entry(cols[0], cols[1], cols.length > 2 ? cols[2] : null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read known-types.txt", e);
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
