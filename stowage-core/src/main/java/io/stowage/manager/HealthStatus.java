package io.stowage.manager;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Health of every managed backend, which one is the primary and which currently takes writes (the
 * primary, else the first fallback that is not down, else none).
 */
public record HealthStatus(Map<String, BackendHealth> backends, String primary, String writesTo) {

    /**
     * Overall: {@code up} when every backend is up; {@code degraded} when some store still takes writes but a
     * backend is not up (the primary, so writes go to a fallback; or a fallback, mirror replica or tier
     * backend, whose writes are then journalled or refused); {@code down} when no store takes writes.
     */
    public BackendHealth.State overall() {
        if (writesTo.isEmpty()) {
            return BackendHealth.State.DOWN;
        }
        return backends.values().stream().allMatch(b -> b.state() == BackendHealth.State.UP)
                ? BackendHealth.State.UP : BackendHealth.State.DEGRADED;
    }

    /** Why the overall state is not {@code up}, in one line; empty when it is. */
    public String reason() {
        if (overall() == BackendHealth.State.UP) {
            return "";
        }
        BackendHealth p = backends.get(primary);
        String others = backends.values().stream()
                .filter(b -> !b.backend().equals(primary) && b.state() != BackendHealth.State.UP)
                .map(b -> "'" + b.backend() + "' is " + b.state().label())
                .collect(Collectors.joining(", "));
        if (p == null || p.state() == BackendHealth.State.UP) {
            return others.isEmpty() ? "" : others;
        }
        String why = "primary '" + primary + "' is " + p.state().label() + (p.detail().isEmpty() ? "" : " (" + p.detail() + ")");
        return writesTo.isEmpty() ? why + "; no backend takes writes"
                : writesTo.equals(primary) ? why : why + "; writes go to '" + writesTo + "'";
    }
}
