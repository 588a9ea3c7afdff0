package io.stowage.spi;

import java.util.List;

/**
 * An environment name that, set to true, makes a provider's type the primary backend, mirrored to
 * {@code mirror} (a specification's "use this storage, with a local backup copy"). It applies only where
 * no stronger name chose the primary in the same source; any other value than true or false is a problem.
 *
 * @param env the environment name
 * @param mirror backends every write is mirrored to when it is on
 */
public record PrimarySwitch(String env, List<String> mirror) {

    public PrimarySwitch {
        mirror = List.copyOf(mirror);
    }
}
