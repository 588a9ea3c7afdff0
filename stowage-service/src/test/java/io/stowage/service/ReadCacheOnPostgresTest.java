package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReadCacheOnPostgresTest extends ReadCacheSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Test
    void postgresql_keeps_no_change_log_so_every_read_looks_its_file_up() {
        assertThat(service.readCache).isNull();
        assertThatThrownBy(() -> rows("catalog_changes")).satisfies(e -> assertKind(e, io.stowage.ErrorKind.UNAVAILABLE));
    }
}
