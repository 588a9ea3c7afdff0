package io.stowage.manager;

/**
 * A backend's health state changed: fired by {@link StorageManager} to its health listeners, only when a
 * probe finds a state other than the last one. A backend starts {@link BackendHealth.State#UP} when it
 * was opened and {@link BackendHealth.State#DOWN} when it could not be, so a backend found down by the
 * first probe fires {@code UP → DOWN}.
 *
 * @param backend the backend's configured name
 * @param from the state before this probe
 * @param to the state found now (the same as {@code health.state()})
 * @param health the probe's result: latency, detail, consecutive failures, circuit state
 */
public record BackendHealthChanged(String backend, BackendHealth.State from, BackendHealth.State to,
                                   BackendHealth health) {
}
