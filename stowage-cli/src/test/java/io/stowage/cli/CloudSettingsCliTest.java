package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.ErrorKind;
import io.stowage.internal.BlobStoreProviders;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switching the CLI to an S3, Azure or GCS backend is a settings change only; an endpoint nobody answers on
 * fails with one line, not a hang or a stack trace. (The servers themselves run in the backend modules'
 * tests.)
 */
class CloudSettingsCliTest {

    private static final String SECRET = "s3cr3t-minio-key-never-shown";

    @TempDir
    Path wd;

    private CliHarness cli;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliHarness(wd);
        cli.providers = BlobStoreProviders.load();
        cli.env.put("PRIMARY_BACKEND", "minio");
        cli.env.put("MINIO_ENDPOINT_URL", "http://127.0.0.1:" + closedPort());
        cli.env.put("MINIO_ACCESS_KEY", "stowage");
        cli.env.put("MINIO_SECRET_KEY", SECRET);
        cli.env.put("MINIO_BUCKET_NAME", "files");
        Files.writeString(wd.resolve("hello.txt"), "hello");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void minio_settings_alone_make_it_the_primary() {
        CliHarness.Result r = cli.run("config", "show");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("primary: minio").contains("bucket: files").doesNotContain(SECRET);
    }

    @Test
    void an_endpoint_nobody_answers_on_fails_with_one_line_naming_the_backend_and_no_secret() {
        CliHarness.Result r = cli.run("put", "hello.txt", "greetings/hello.txt");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.UNAVAILABLE));
        assertThat(r.err()).startsWith("stowage: ").contains("minio").doesNotContain("\tat ").doesNotContain(SECRET);
        assertThat(r.err().strip().lines()).hasSize(1);
        CliHarness.Result ls = cli.run("ls");
        assertThat(ls.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.UNAVAILABLE));
        assertThat(ls.err().strip().lines()).hasSize(1);
    }

    @Test
    void azure_settings_alone_make_it_the_primary_and_a_dead_endpoint_fails_in_one_line() throws IOException {
        String key = "YXp1cmUta2V5LXRoYXQtbXVzdC1uZXZlci1iZS1wcmludGVk";
        cli.env.clear();
        cli.env.put("PRIMARY_BACKEND", "azure_blob");
        cli.env.put("AZURE_ACCOUNT_NAME", "devstoreaccount1");
        cli.env.put("AZURE_ACCOUNT_KEY", key);
        cli.env.put("AZURE_CONTAINER_NAME", "files");
        cli.env.put("AZURE_STORAGE_ENDPOINT", "http://127.0.0.1:" + closedPort() + "/devstoreaccount1");
        CliHarness.Result show = cli.run("config", "show");
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).containsPattern("primary: azure_blob").contains("container: files").doesNotContain(key);
        CliHarness.Result r = cli.run("put", "hello.txt", "greetings/hello.txt");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.UNAVAILABLE));
        assertThat(r.err()).startsWith("stowage: ").contains("azure_blob").doesNotContain(key).doesNotContain("\tat ");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void gcs_settings_alone_make_it_the_primary_and_a_dead_endpoint_fails_in_one_line() throws IOException {
        cli.env.clear();
        cli.env.put("PRIMARY_BACKEND", "gcs");
        cli.env.put("GCS_BUCKET_NAME", "files");
        cli.env.put("GCS_PROJECT_ID", "example-project");
        cli.env.put("GCS_ENDPOINT", "http://127.0.0.1:" + closedPort());
        CliHarness.Result show = cli.run("config", "show");
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).containsPattern("primary: gcs").contains("bucket: files");
        CliHarness.Result r = cli.run("put", "hello.txt", "greetings/hello.txt");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.of(ErrorKind.UNAVAILABLE));
        assertThat(r.err()).startsWith("stowage: ").contains("gcs").doesNotContain("\tat ");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void a_gcs_credentials_file_that_is_not_there_fails_in_one_line_naming_the_setting() {
        cli.env.clear();
        cli.env.put("PRIMARY_BACKEND", "gcs");
        cli.env.put("GCS_BUCKET_NAME", "files");
        cli.env.put("GOOGLE_APPLICATION_CREDENTIALS", "keys/missing.json");
        CliHarness.Result r = cli.run("ls");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.of(ErrorKind.CONFIG));
        assertThat(r.err()).startsWith("stowage: ").contains("GOOGLE_APPLICATION_CREDENTIALS").contains("does not exist")
                .doesNotContain("\tat ");
        assertThat(r.err().strip().lines()).hasSize(1);
    }
}
