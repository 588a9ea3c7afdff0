package io.stowage.service;

import static io.stowage.ErrorKind.QUOTA_EXCEEDED;
import static io.stowage.ErrorKind.TOO_LARGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.testkit.Contents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service opened from a stowage.yaml's database: and limits: sections, with the environment over them. */
abstract class ConfiguredSpec extends ServiceTestBase {

    @Test
    void the_yaml_sections_and_the_environment_give_the_service_its_catalog_and_limits() throws IOException {
        Map<String, String> db = database().settings(home);
        Path wd = Files.createDirectories(home.resolve("wd"));
        Path sqliteFile = home.resolve("yaml-state").resolve("catalog.db");
        String url = db.getOrDefault("STOWAGE_DATABASE_URL", "jdbc:sqlite:" + sqliteFile);
        Files.writeString(wd.resolve("stowage.yaml"), "database:\n  url: " + url + "\n"
                + (db.containsKey("STOWAGE_DATABASE_USER") ? "  user: " + db.get("STOWAGE_DATABASE_USER") + "\n" : "")
                + """
                limits:
                  max_upload_size: 1KiB
                  default_quota_files: 2
                """);
        Map<String, String> env = new HashMap<>(Map.of("STOWAGE_HOME", home.toString(), "STOWAGE_MAX_UPLOAD_SIZE", "2KiB"));
        if (db.containsKey("STOWAGE_DATABASE_PASSWORD")) {
            env.put("STOWAGE_DATABASE_PASSWORD", db.get("STOWAGE_DATABASE_PASSWORD"));
        }

        try (StorageService configured = StorageService.open(settingsOf(env, wd), store)) {
            FileRecord within = configured.save("ada", "a.bin", BlobContent.of(Contents.bytes(1, 1500)), SaveOptions.defaults());
            Throwable tooLarge = catchThrowable(() -> configured.save("ada", "b.bin",
                    BlobContent.of(Contents.bytes(2, 3000)), SaveOptions.defaults()));
            configured.save("ada", "c.bin", BlobContent.ofUtf8("c"), SaveOptions.defaults());
            Throwable overQuota = catchThrowable(() -> configured.save("ada", "d.bin", BlobContent.ofUtf8("d"),
                    SaveOptions.defaults()));

            assertThat(within.size()).isEqualTo(1500);
            assertKind(tooLarge, TOO_LARGE);
            assertKind(overQuota, QUOTA_EXCEEDED);
            assertThat(configured.usage("ada").maxFiles()).hasValue(2);
        }
        // the files are in the catalog the yaml named, not in the test base's
        Map<String, String> named = new HashMap<>(db);
        named.put("STOWAGE_DATABASE_URL", url);
        try (CatalogDatabase catalog = CatalogDatabase.open(settingsOf(named, home))) {
            long files = catalog.withHandle("test", h -> h.createQuery("SELECT COUNT(*) FROM files").mapTo(Long.class).one());
            assertThat(files).isEqualTo(2);
        }
        assertThat(service.usage("ada").files()).isZero();
    }
}
