package io.stowage.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendConfigTest {

    private static BackendConfig with(String endpoint) {
        return new BackendConfig("cloud", "gcs", Map.of("endpoint", endpoint), Path.of("."));
    }

    @Test
    void a_url_setting_keeps_scheme_host_and_port_and_drops_a_trailing_slash() {
        assertThat(with("http://127.0.0.1:10000/devstoreaccount1/").getUrl("endpoint", "AZURE_STORAGE_ENDPOINT"))
                .contains(URI.create("http://127.0.0.1:10000/devstoreaccount1"));
        assertThat(new BackendConfig("cloud", "gcs", Map.of(), Path.of(".")).getUrl("endpoint", null)).isEmpty();
    }

    @Test
    void a_url_setting_without_scheme_or_host_is_a_config_error_naming_the_setting_and_its_variable() {
        for (String bad : new String[] {"storage.example.com", "http://", "not a url"}) {
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> with(bad).getUrl("endpoint", "GCS_ENDPOINT"));
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            assertThat(e.getMessage()).endsWith("backend 'cloud' setting 'endpoint' (GCS_ENDPOINT) is not a URL: '"
                    + bad + "'");
        }
    }
}
