package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobStore;
import io.stowage.Lifecycle;
import io.stowage.Lifecycle.Rule;
import io.stowage.Lifecycle.Transition;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bucket lifecycle rules, against S3Mock (s3proxy answers 501 to lifecycle configuration). */
@ExtendWith(S3MockServer.Extension.class)
class S3LifecycleTest {

    private final S3MockServer server;

    S3LifecycleTest(S3MockServer server) {
        this.server = server;
    }

    @Test
    void rules_are_replaced_as_a_set_read_back_and_removed() {
        try (BlobStore store = S3ProxyServer.open("s3mock", "minio", server.settings())) {
            Lifecycle lifecycle = store.feature(Lifecycle.class).orElseThrow();
            assertThat(store.capabilities().lifecycle()).isTrue();
            assertThat(lifecycle.rules()).isEmpty();
            Rule logs = new Rule("logs", "logs/", List.of(new Transition(30, "STANDARD_IA"), new Transition(90, "GLACIER")),
                    365, 7);
            Rule tmp = new Rule("tmp", "tmp/", List.of(), 1, 1);
            lifecycle.setRules(List.of(logs, tmp));
            assertThat(lifecycle.rules()).containsExactlyInAnyOrder(logs, tmp);
            lifecycle.setRules(List.of(tmp));
            assertThat(lifecycle.rules()).containsExactly(tmp);
            lifecycle.setRules(List.of());
            assertThat(lifecycle.rules()).isEmpty();
        }
    }

    @Test
    void a_server_without_lifecycle_is_declared_so_by_configuration() {
        try (S3ProxyServer own = S3ProxyServer.start();
                BlobStore store = S3ProxyServer.open("s3proxy", "minio", own.settings())) {
            assertThat(store.capabilities().lifecycle()).isFalse();
            assertThat(store.feature(Lifecycle.class)).isEmpty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
