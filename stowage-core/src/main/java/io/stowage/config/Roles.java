package io.stowage.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The roles backends play in routing, and the problems of a backend given two of them. */
final class Roles {

    private Roles() {
    }

    /**
     * A backend plays one role among fallback and mirror replica: a fallback's failover copies are removed
     * from it by replay, so a replica on the same backend would lose them. (The primary named among them is
     * left out of them; see {@code ConfigLoader.withoutPrimary}.)
     */
    static List<String> problems(Setting primary, List<Setting> fallback, List<Setting> mirror) {
        List<String> problems = new ArrayList<>();
        Set<String> fallbackNames = new LinkedHashSet<>();
        for (Setting ref : fallback) {
            if (ref.value().equals(primary.value())) {
                continue;
            }
            if (!fallbackNames.add(ref.value())) {
                problems.add(Problems.label(ref) + ": backend '" + ref.value() + "' is named twice");
            }
        }
        Set<String> mirrorNames = new LinkedHashSet<>();
        for (Setting ref : mirror) {
            if (ref.value().equals(primary.value())) {
                continue;
            }
            if (fallbackNames.contains(ref.value())) {
                problems.add(Problems.label(ref) + ": backend '" + ref.value() + "' is also a fallback; a mirror replica needs a"
                        + " backend of its own (another path, bucket or container), since replay removes what was"
                        + " written to a fallback during an outage");
            } else if (!mirrorNames.add(ref.value())) {
                problems.add(Problems.label(ref) + ": backend '" + ref.value() + "' is named twice");
            }
        }
        return problems;
    }
}
