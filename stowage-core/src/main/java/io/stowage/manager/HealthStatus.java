package io.stowage.manager;

import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Health of every managed backend, which one is the primary, which currently takes writes (the primary,
 * else the first fallback after backends that are {@code down}, as the failover sends them on) and which
 * one, if any, refuses them: a {@code refusing} primary (or a refusing fallback reached after a primary
 * that is down) makes writes fail with its error; they are not sent further (decision 0014), unless
 * {@code fallback_on} names refusals: then writes go on to a fallback as for an outage (decision 0037).
 *
 * @param writesTo the backend that takes writes now; empty when none does
 * @param refusedBy the backend whose refusal writes meet, when none takes them; empty otherwise
 * @param journalled how many writes made during an outage (or missed by a mirror replica) wait to be replayed
 * @param replaying whether a background replay copies them now (decision 0024)
 */
public record HealthStatus(Map<String, BackendHealth> backends, String primary, String writesTo, String refusedBy,
                           int journalled, boolean replaying) {

    public HealthStatus {
        refusedBy = Objects.requireNonNullElse(refusedBy, "");
    }

    /** A status with nothing journalled. */
    public HealthStatus(Map<String, BackendHealth> backends, String primary, String writesTo, String refusedBy) {
        this(backends, primary, writesTo, refusedBy, 0, false);
    }

    /** A status without a refusing backend (as before decision 0014) and with nothing journalled. */
    public HealthStatus(Map<String, BackendHealth> backends, String primary, String writesTo) {
        this(backends, primary, writesTo, "");
    }

    /**
     * Overall: {@code up} when every backend is up; {@code degraded} when some store still takes writes but a
     * backend is not up (the primary, so writes go to a fallback; or a fallback, mirror replica or tier
     * backend, whose writes are then journalled or refused); {@code refusing} when writes fail because a
     * backend refuses them (a configuration problem: fix the setting the reason names); {@code down} when
     * no store takes writes because every one is away.
     */
    public BackendHealth.State overall() {
        if (writesTo.isEmpty()) {
            return refusedBy.isEmpty() ? BackendHealth.State.DOWN : BackendHealth.State.REFUSING;
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
                // A refusal names the setting to check; an outage is the same everywhere, the table has its detail.
                .map(b -> "'" + b.backend() + "' is " + (b.state() == BackendHealth.State.REFUSING ? describe(b)
                        : b.state().label()))
                .collect(Collectors.joining(", "));
        if (p == null || p.state() == BackendHealth.State.UP) {
            return others.isEmpty() ? "" : others;
        }
        String why = "primary '" + primary + "' is " + describe(p);
        if (writesTo.isEmpty()) {
            if (refusedBy.equals(primary)) {
                return why + ": writes fail with its error, they are not sent to a fallback";
            }
            BackendHealth r = backends.get(refusedBy);
            return r == null ? why + "; no backend takes writes"
                    : why + "; fallback '" + refusedBy + "' is " + describe(r) + ": writes fail with its error";
        }
        if (p.state() == BackendHealth.State.REFUSING && !writesTo.equals(primary)) {
            // Only fallback_on: [outage, refusal] sends a refused primary's writes on (decision 0037).
            return why + "; writes go to '" + writesTo + "' and are replayed once its configuration is fixed"
                    + " (fallback_on: refusal)";
        }
        return writesTo.equals(primary) ? why : why + "; writes go to '" + writesTo + "'";
    }

    private static String describe(BackendHealth b) {
        if (b.detail().isEmpty()) {
            return b.state().label();
        }
        String kind = b.state() == BackendHealth.State.REFUSING ? b.errorKind().map(k -> k + ": ").orElse("") : "";
        return b.state().label() + " (" + kind + b.detail() + ")";
    }
}
