package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.ErrorKind;
import io.stowage.internal.BlobStoreProviders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec 004 "falls back to local storage if S3 configuration is invalid" (issue 17 point 13, decision 0037):
 * where {@code STORAGE_TYPE} chose an S3 primary whose own settings are invalid, the CLI serves from local,
 * health says degraded and names the setting to fix; with Stowage's own {@code PRIMARY_BACKEND} the same
 * settings still fail at once.
 */
class InvalidSpecificationPrimaryTest {

    @TempDir
    Path wd;

    private CliHarness cli;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliHarness(wd);
        cli.providers = BlobStoreProviders.load();
        cli.env.remove("PRIMARY_BACKEND");
        cli.env.put("STOWAGE_HOME", wd.resolve("home").toString());
        Files.writeString(wd.resolve("hello.txt"), "hello");
    }

    @Test
    void an_s3_primary_without_a_bucket_chosen_by_storage_type_serves_from_local_and_health_names_the_setting() {
        cli.env.put("STORAGE_TYPE", "s3");

        CliHarness.Result put = cli.run("put", "hello.txt", "greetings/hello.txt");
        assertThat(put.exitCode()).as(put.err()).isZero();
        assertThat(put.out()).contains("on local (primary 'aws_s3' refuses us (CONFIG, 'stowage health' says why)");
        CliHarness.Result rm = cli.run("rm", "greetings/nothing.txt");
        assertThat(rm.out()).contains("primary 'aws_s3' refuses us (CONFIG");
        CliHarness.Result get = cli.run("get", "greetings/hello.txt", "-");
        assertThat(get.out()).isEqualTo("hello");

        CliHarness.Result config = cli.run("config", "show");
        assertThat(config.out()).containsPattern("problem: .*bucket: required .*AWS_S3_BUCKET_NAME.*writes go to the fallback");

        CliHarness.Result health = cli.run("health");
        assertThat(health.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.UNAVAILABLE));
        assertThat(health.out()).contains("overall: degraded").contains("AWS_S3_BUCKET_NAME")
                .contains("fallback_on: refusal");
    }

    @Test
    void the_same_settings_under_primary_backend_fail_the_configuration_naming_the_setting() {
        cli.env.put("PRIMARY_BACKEND", "s3");

        CliHarness.Result put = cli.run("put", "hello.txt", "greetings/hello.txt");
        assertThat(put.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.CONFIG));
        assertThat(put.err()).contains("AWS_S3_BUCKET_NAME");
        assertThat(wd.resolve("home")).as("nothing stored anywhere").doesNotExist();
    }
}
