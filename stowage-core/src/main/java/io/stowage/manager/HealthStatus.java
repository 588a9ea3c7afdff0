package io.stowage.manager;

import java.util.Map;

/**
 * Health of every managed backend, which one is the primary and which currently takes writes (the
 * primary, else the first fallback that is not down, else none).
 */
public record HealthStatus(Map<String, BackendHealth> backends, String primary, String writesTo) {

    /** Overall: {@code up} when the primary is up, {@code degraded} when another store takes writes, else {@code down}. */
    public BackendHealth.State overall() {
        BackendHealth p = backends.get(primary);
        if (p != null && p.state() == BackendHealth.State.UP) {
            return BackendHealth.State.UP;
        }
        return writesTo.isEmpty() ? BackendHealth.State.DOWN : BackendHealth.State.DEGRADED;
    }

    /** Why the overall state is not {@code up}, in one line; empty when it is. */
    public String reason() {
        BackendHealth p = backends.get(primary);
        if (overall() == BackendHealth.State.UP || p == null) {
            return "";
        }
        String why = "primary '" + primary + "' is " + p.state().label() + (p.detail().isEmpty() ? "" : " (" + p.detail() + ")");
        return writesTo.isEmpty() ? why + "; no backend takes writes"
                : writesTo.equals(primary) ? why : why + "; writes go to '" + writesTo + "'";
    }
}
