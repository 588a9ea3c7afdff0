package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import org.junit.jupiter.api.Test;

abstract class OperationsSpec extends ServiceTestBase {

    @Test
    void totals_count_every_owners_files_and_bytes_and_the_trash() {
        save("alice", "a.txt", "12345");
        FileRecord b = save("bob", "b.txt", "1234567890");
        service.delete("bob", b.id());

        assertThat(service.operations().totals()).isEqualTo(new Totals(2, 15));
    }

    @Test
    void an_empty_catalog_totals_nothing() {
        assertThat(service.operations().totals()).isEqualTo(new Totals(0, 0));
    }

    @Test
    void the_catalog_answers_a_ping_until_it_is_closed() {
        service.operations().pingCatalog();
        service.close();

        assertThatThrownBy(() -> service.operations().pingCatalog()).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    }

    @Test
    void the_store_health_is_the_probe_of_the_store_the_service_writes_to() {
        assertThat(service.operations().storeHealth().healthy()).isTrue();
        assertThat(service.operations().storeName()).isEqualTo(store.name());
    }

    @Test
    void the_pool_publishes_to_one_registry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        service.operations().bindMetrics(registry);
        service.operations().bindMetrics(registry);

        assertThat(registry.find("hikaricp.connections.max").gauge()).isNotNull();
        assertThatThrownBy(() -> service.operations().bindMetrics(new SimpleMeterRegistry()))
                .isInstanceOf(IllegalStateException.class);
    }
}
