package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.testkit.S3ProxyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get --verify} of an object with no stored SHA-256: a stream uploaded in parts to s3proxy, which
 * keeps no object tags, so the digest the upload computed could not be recorded.
 */
class VerifyIT {

    @TempDir
    static Path serverDir;

    static S3ProxyProcess server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyProcess.start(serverDir.resolve("blobs"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void verify_says_it_could_not_check_an_object_without_a_stored_sha256_and_strict_fails_writing_nothing()
            throws Exception {
        Files.writeString(LauncherRun.work(tmp).resolve("stowage.yaml"), """
                backends:
                  s3: { type: minio, endpoint: "%s", bucket: "%s", access_key: "%s", secret_key: "%s", part_size: 5MiB }
                primary: s3
                """.formatted(server.endpoint(), "verify-" + UUID.randomUUID().toString().substring(0, 8),
                S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY));

        LauncherRun.Run r = LauncherRun.bash(tmp, """
                head -c 6000000 /dev/urandom > src.bin
                "$STOWAGE" put - streamed.bin < src.bin > /dev/null 2> put.err
                "$STOWAGE" put src.bin from-file.bin > /dev/null
                "$STOWAGE" get --verify streamed.bin out.bin
                cmp src.bin out.bin && echo UNCHECKED-BUT-WRITTEN
                "$STOWAGE" get --verify from-file.bin checked.bin 2> checked.err
                echo "checked-err=[$(cat checked.err)]"
                set +e
                "$STOWAGE" get --verify=strict streamed.bin strict.bin; echo "strict-rc=$?"
                test -e strict.bin || echo NOTHING-WRITTEN
                """, Map.of("STOWAGE_HOME", "state"));

        assertThat(r.out()).as(r.err()).contains("UNCHECKED-BUT-WRITTEN", "checked-err=[]", "strict-rc=19",
                "NOTHING-WRITTEN");
        assertThat(r.err().lines().toList()).containsExactly(
                "stowage: warning: could not verify 'streamed.bin': backend 's3' has no SHA-256 stored for it, so the "
                        + "content is unchecked (--verify=strict fails instead)",
                "stowage: cannot verify 'streamed.bin': backend 's3' has no SHA-256 stored for it; nothing was written");
    }
}
