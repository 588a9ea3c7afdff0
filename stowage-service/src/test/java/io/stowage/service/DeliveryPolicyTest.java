package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {

    @Test
    void each_failure_doubles_the_wait_up_to_the_max_delay() {
        DeliveryPolicy policy = new DeliveryPolicy(10, Duration.ofSeconds(10), Duration.ofMinutes(1));

        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofMinutes(1));
        assertThat(policy.delayAfter(1000)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void a_policy_needs_one_attempt_and_a_base_delay_within_the_max() {
        ServiceTestBase.assertKind(catchThrowable(() -> new DeliveryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(2))),
                io.stowage.ErrorKind.INVALID_ARGUMENT);
        ServiceTestBase.assertKind(catchThrowable(() -> new DeliveryPolicy(3, Duration.ofSeconds(3), Duration.ofSeconds(2))),
                io.stowage.ErrorKind.INVALID_ARGUMENT);
        ServiceTestBase.assertKind(catchThrowable(() -> new DeliveryPolicy(3, Duration.ZERO, Duration.ofSeconds(2))),
                io.stowage.ErrorKind.INVALID_ARGUMENT);
    }
}
