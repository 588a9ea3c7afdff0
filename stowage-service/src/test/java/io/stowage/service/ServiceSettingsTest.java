package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceSettingsTest {

    @Test
    void without_settings_the_catalog_is_sqlite_under_storage_state_and_uploads_stop_at_100_mib() {
        ServiceSettings s = ServiceSettings.from(Map.of());

        assertThat(s.postgres()).isFalse();
        assertThat(s.databaseUrl()).isEqualTo("jdbc:sqlite:" + Path.of("./storage", "state", "catalog.db"));
        assertThat(s.maxUploadSize()).isEqualTo(100L * 1024 * 1024);
        assertThat(s.defaultQuotaBytes()).isEmpty();
        assertThat(s.defaultQuotaFiles()).isEmpty();
    }

    @Test
    void a_postgresql_url_selects_postgresql_with_its_user_and_password() {
        ServiceSettings s = ServiceSettings.from(Map.of("STOWAGE_DATABASE_URL", "jdbc:postgresql://db:5432/stowage",
                "STOWAGE_DATABASE_USER", "app", "STOWAGE_DATABASE_PASSWORD", "hunter2", "STOWAGE_MAX_UPLOAD_SIZE", "5MiB"));

        assertThat(s.postgres()).isTrue();
        assertThat(s.databaseUser()).contains("app");
        assertThat(s.databasePassword()).contains("hunter2");
        assertThat(s.maxUploadSize()).isEqualTo(5L << 20);
        assertThat(s.toString()).doesNotContain("hunter2");
        assertThat(ServiceSettings.from(Map.of("STOWAGE_ALLOWED_TYPES", " image/* , application/pdf ,")).allowedTypes())
                .containsExactly("image/*", "application/pdf");
    }

    @Test
    void every_bad_setting_is_reported_at_once_naming_it() {
        assertThatThrownBy(() -> ServiceSettings.from(Map.of("STOWAGE_DATABASE_URL", "jdbc:mysql://db/x",
                "STOWAGE_MAX_UPLOAD_SIZE", "lots", "STOWAGE_DEFAULT_QUOTA_FILES", "-3", "STOWAGE_ALLOWED_TYPES", "image/*,pdf")))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).contains("STOWAGE_DATABASE_URL", "STOWAGE_MAX_UPLOAD_SIZE",
                            "STOWAGE_DEFAULT_QUOTA_FILES", "STOWAGE_ALLOWED_TYPES");
                });
    }
}
