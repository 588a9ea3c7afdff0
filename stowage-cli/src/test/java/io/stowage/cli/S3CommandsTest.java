package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.ErrorKind;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * presign, cp and backends against a real S3 server (s3proxy): the printed URLs are fetched with a plain
 * HTTP client, as a browser or curl would, and the server refuses them once forged or expired.
 */
class S3CommandsTest {

    @TempDir
    static Path serverDir;

    static S3ProxyProcess server;

    @TempDir
    Path wd;

    CliHarness cli;
    String bucket;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startServer() throws IOException {
        server = S3ProxyProcess.start(serverDir.resolve("blobs"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void setUp() {
        bucket = "cli-" + UUID.randomUUID().toString().substring(0, 13);
        cli = new CliHarness(wd);
        cli.providers = BlobStoreProviders.load();
        cli.env.put("PRIMARY_BACKEND", "minio");
        cli.env.put("MINIO_ENDPOINT_URL", server.endpoint().toString());
        cli.env.put("MINIO_ACCESS_KEY", S3ProxyProcess.ACCESS_KEY);
        cli.env.put("MINIO_SECRET_KEY", S3ProxyProcess.SECRET_KEY);
        cli.env.put("MINIO_BUCKET_NAME", bucket);
    }

    private byte[] stored(String key, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Path file = wd.resolve("upload.bin");
        Files.write(file, data);
        CliHarness.Result put = cli.run("put", "upload.bin", key);
        assertThat(put.exitCode()).as(put.err()).isZero();
        return data;
    }

    private URI presigned(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "presign";
        System.arraycopy(args, 0, all, 1, args.length);
        CliHarness.Result r = cli.run(all);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).as("the URL alone on stdout").hasSize(1);
        assertThat(r.out() + r.err()).doesNotContain(S3ProxyProcess.SECRET_KEY);
        assertThat(r.err()).contains("expires");
        return URI.create(r.out().strip());
    }

    private HttpResponse<byte[]> get(URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    // ---- presign -----------------------------------------------------------------------------------

    @Test
    void a_presigned_get_url_reads_the_bytes_with_the_asked_type_and_download_name() throws Exception {
        byte[] data = stored("reports/q3.bin", 200_000);
        URI url = presigned("reports/q3.bin", "--ttl", "10m", "--content-type", "application/pdf",
                "--download-name", "Q3 report ü.pdf");
        assertThat(url.getRawQuery()).contains("X-Amz-Expires=600");
        HttpResponse<byte[]> r = get(url);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(data);
        assertThat(r.headers().firstValue("content-type")).contains("application/pdf");
        assertThat(r.headers().firstValue("content-disposition").orElseThrow())
                .contains("attachment").contains("filename*=UTF-8''Q3%20report%20%C3%BC.pdf");
    }

    @Test
    void a_presigned_put_url_uploads_and_insists_on_the_signed_content_type() throws Exception {
        CliHarness.Result r = cli.run("presign", "inbox/note.txt", "--method", "PUT", "--content-type", "text/plain");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).containsIgnoringCase("send header: content-type: text/plain");
        URI url = URI.create(r.out().strip());

        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers
                .ofString("forged type")).header("Content-Type", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).as("a type other than the signed one").isEqualTo(403);

        HttpResponse<String> put = http.send(HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers
                .ofString("uploaded past stowage")).header("Content-Type", "text/plain").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        CliHarness.Result back = cli.run("get", "inbox/note.txt", "-");
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(back.out()).isEqualTo("uploaded past stowage");
    }

    @Test
    void a_forged_url_is_refused_by_the_server() throws Exception {
        stored("secret/a.bin", 1000);
        stored("secret/b.bin", 2000);
        URI url = presigned("secret/a.bin");
        assertThat(get(url).statusCode()).isEqualTo(200);

        URI otherKey = URI.create(url.toString().replace("/secret/a.bin?", "/secret/b.bin?"));
        assertThat(otherKey).isNotEqualTo(url);
        assertThat(get(otherKey).statusCode()).as("the signature covers the key").isEqualTo(403);

        URI longer = URI.create(url.toString().replace("X-Amz-Expires=900", "X-Amz-Expires=604800"));
        assertThat(longer).isNotEqualTo(url);
        assertThat(get(longer).statusCode()).as("the signature covers the expiry").isEqualTo(403);

        String raw = url.toString();
        int sig = raw.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char flipped = raw.charAt(sig) == '0' ? '1' : '0';
        URI badSignature = URI.create(raw.substring(0, sig) + flipped + raw.substring(sig + 1));
        assertThat(get(badSignature).statusCode()).isEqualTo(403);
    }

    @Test
    void an_expired_url_is_refused_by_the_server() throws Exception {
        byte[] data = stored("brief.bin", 100);
        URI url = presigned("brief.bin", "--ttl", "1s");
        // Awaited with a bound, not slept: the server must start refusing once the second has passed.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<byte[]> r = get(url);
        while (r.statusCode() == 200 && System.nanoTime() < deadline) {
            assertThat(r.body()).isEqualTo(data);
            Thread.sleep(100);
            r = get(url);
        }
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("expired");
    }

    @Test
    void presigning_a_get_of_a_missing_key_fails_not_found_but_a_put_may_create_it() {
        CliHarness.Result get = cli.run("presign", "nope/missing.bin");
        assertThat(get.exitCode()).as(get.err()).isEqualTo(ExitCodes.of(ErrorKind.NOT_FOUND));
        assertThat(get.err()).startsWith("stowage: ").contains("nope/missing.bin");
        assertThat(get.out()).isEmpty();
        assertThat(cli.run("presign", "nope/missing.bin", "--method", "PUT").exitCode()).isZero();
    }

    // ---- cp ----------------------------------------------------------------------------------------

    @Test
    void cp_copies_server_side_and_a_missing_source_fails_not_found() throws Exception {
        byte[] data = stored("src/a.bin", 300_000);
        CliHarness.Result cp = cli.run("cp", "src/a.bin", "dst/a.bin");
        assertThat(cp.exitCode()).as(cp.err()).isZero();
        assertThat(cp.out()).startsWith("copied src/a.bin -> dst/a.bin  300000 bytes").contains("on minio");
        assertThat(cli.run("get", "dst/a.bin", "-").stdoutBytes()).isEqualTo(data);
        CliHarness.Result missing = cli.run("cp", "src/none.bin", "dst/none.bin");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.NOT_FOUND));
        assertThat(missing.err()).startsWith("stowage: ").contains("src/none.bin").doesNotContain("\tat ");
    }

    // ---- backends ----------------------------------------------------------------------------------

    @Test
    void backends_with_an_s3_primary_creates_no_storage_directory_and_no_bucket() {
        CliHarness.Result r = cli.run("backends");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("\\* minio +minio +bucket " + bucket + " at " + server.endpoint())
                .containsPattern("\\n  local +local +path ").doesNotContain(S3ProxyProcess.SECRET_KEY);
        assertThat(wd.resolve("storage")).doesNotExist();
        assertThat(server.bucketDirectory(bucket)).doesNotExist();

        // The check sees a bucket where there is one: the first real command creates it.
        assertThat(cli.run("ls").exitCode()).isZero();
        assertThat(server.bucketDirectory(bucket)).isDirectory();
        assertThat(wd.resolve("storage")).doesNotExist();
    }
}
