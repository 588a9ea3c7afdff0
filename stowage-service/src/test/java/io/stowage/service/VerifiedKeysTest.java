package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.service.auth.ApiKey;
import io.stowage.service.auth.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The verified keys alone: their TTL, their bound, and a read racing a revocation. */
class VerifiedKeysTest {

    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final VerifiedKeys keys = new VerifiedKeys(clock, Duration.ofSeconds(5));

    private static ApiKey key(String id, Optional<Instant> revoked) {
        return new ApiKey(id, "alice", Set.of(Scope.READ), Instant.parse("2029-01-01T00:00:00Z"), Optional.empty(),
                revoked);
    }

    @Test
    void a_key_is_held_until_its_ttl_has_passed() {
        keys.remember(key("a", Optional.empty()), new byte[32], keys.generation());

        clock.advance(Duration.ofMillis(4999));
        assertThat(keys.find("a")).isNotNull();
        clock.advance(Duration.ofMillis(1));
        assertThat(keys.find("a")).isNull();
    }

    @Test
    void a_secret_proven_once_is_known_again_only_while_its_row_is_held() {
        byte[] secret = "a".repeat(64).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        VerifiedKeys.Verified held = keys.remember(key("a", Optional.empty()), new byte[32], keys.generation());
        assertThat(held.provenBefore(secret)).isFalse();

        held.proven(secret);
        secret[0] = 'b'; // the caller's array is not what is held
        assertThat(held.provenBefore(secret)).isFalse();
        secret[0] = 'a';
        assertThat(keys.find("a").provenBefore(secret)).isTrue();
        assertThat(keys.find("a").provenBefore("a".repeat(63).getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isFalse();

        // The secret goes with its row: at the TTL, and when the key is forgotten (revoked here).
        clock.advance(Duration.ofSeconds(5));
        assertThat(keys.find("a")).isNull();
        keys.remember(key("a", Optional.empty()), new byte[32], keys.generation()).proven(secret);
        keys.forget("a");
        assertThat(keys.find("a")).isNull();
        assertThat(keys.remember(key("a", Optional.empty()), new byte[32], keys.generation()).provenBefore(secret))
                .isFalse();
    }

    @Test
    void a_read_that_started_before_a_revocation_is_not_held() {
        long before = keys.generation();
        keys.forget("a");

        keys.remember(key("a", Optional.empty()), new byte[32], before);

        assertThat(keys.find("a")).isNull();
        keys.remember(key("a", Optional.empty()), new byte[32], keys.generation());
        assertThat(keys.find("a")).isNotNull();
    }

    @Test
    void revoked_keys_are_never_held_and_forgetting_all_empties_it() {
        keys.remember(key("r", Optional.of(Instant.parse("2029-06-01T00:00:00Z"))), new byte[32], keys.generation());
        keys.remember(key("a", Optional.empty()), new byte[32], keys.generation());
        keys.remember(key("b", Optional.empty()), new byte[32], keys.generation());

        assertThat(keys.find("r")).isNull();
        keys.forgetAll();
        assertThat(keys.find("a")).isNull();
        assertThat(keys.find("b")).isNull();
    }

    @Test
    void it_never_holds_more_than_its_bound() {
        for (int i = 0; i <= VerifiedKeys.MAX_ENTRIES + 10; i++) {
            keys.remember(key("k" + i, Optional.empty()), new byte[32], keys.generation());
            assertThat(keys.size()).isLessThanOrEqualTo(VerifiedKeys.MAX_ENTRIES);
        }
        assertThat(keys.find("k" + (VerifiedKeys.MAX_ENTRIES + 10))).isNotNull();
    }

    @Test
    void a_ttl_of_zero_holds_nothing() {
        VerifiedKeys none = new VerifiedKeys(clock, Duration.ZERO);

        none.remember(key("a", Optional.empty()), new byte[32], none.generation());

        assertThat(none.find("a")).isNull();
    }
}
