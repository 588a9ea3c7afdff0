package io.stowage.layer;

import io.stowage.Lifecycle;
import java.util.List;

/**
 * A backend's {@link Lifecycle} seen through one layer ({@link LayeredFeatures}): reading the rules
 * ({@code get_lifecycle}) and replacing them ({@code set_lifecycle}) are each one metadata call.
 */
final class LayeredLifecycle implements Lifecycle {

    private final Lifecycle lifecycle;
    private final LayeredFeatures.Around around;

    LayeredLifecycle(Lifecycle lifecycle, LayeredFeatures.Around around) {
        this.lifecycle = lifecycle;
        this.around = around;
    }

    @Override
    public List<Rule> rules() {
        return around.call(Operation.GET_LIFECYCLE, null, lifecycle::rules);
    }

    @Override
    public void setRules(List<Rule> rules) {
        around.call(Operation.SET_LIFECYCLE, null, () -> {
            lifecycle.setRules(rules);
            return null;
        });
    }
}
