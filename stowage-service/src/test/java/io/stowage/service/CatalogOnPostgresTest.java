package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogOnPostgresTest extends CatalogSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Test
    void a_database_that_cannot_be_reached_is_unavailable_and_the_message_holds_no_password() {
        Map<String, String> env = new HashMap<>(settingsMap());
        env.put("STOWAGE_DATABASE_URL", env.get("STOWAGE_DATABASE_URL").replaceAll("/[^/?]+$", "/no_such_database"));
        env.put("STOWAGE_DATABASE_PASSWORD", "s3cret-never-shown");

        assertThatThrownBy(() -> StorageService.open(settingsOf(env, home), store))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("PostgreSQL").doesNotContain("s3cret-never-shown");
                });
    }
}
