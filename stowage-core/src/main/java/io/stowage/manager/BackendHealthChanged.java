package io.stowage.manager;

import io.stowage.ErrorKind;
import java.util.Optional;

/**
 * A backend's health state changed: fired by {@link StorageManager} to its health listeners, only when a
 * probe finds a state other than the last one. A backend starts {@link BackendHealth.State#UNKNOWN} when
 * it was opened, and {@link BackendHealth.State#DOWN} (or {@link BackendHealth.State#REFUSING}, when
 * opening it failed on its configuration) when it could not be. A first probe that finds it up fires
 * nothing; one that finds it down or refusing fires {@code UNKNOWN → DOWN} or {@code UNKNOWN → REFUSING}:
 * it was never seen up.
 *
 * @param backend the backend's configured name
 * @param from the state before this probe
 * @param to the state found now (the same as {@code health.state()})
 * @param health the probe's result: latency, detail, consecutive failures, circuit state, failure kind
 */
public record BackendHealthChanged(String backend, BackendHealth.State from, BackendHealth.State to,
                                   BackendHealth health) {

    /** The kind of the failure the probe found ({@code PERMISSION_DENIED}, {@code TIMEOUT}, ...); empty when it passed. */
    public Optional<ErrorKind> errorKind() {
        return health.errorKind();
    }
}
