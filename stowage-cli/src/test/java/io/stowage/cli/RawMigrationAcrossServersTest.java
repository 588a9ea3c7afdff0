package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.AzuriteProcess;
import io.stowage.testkit.Contents;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stowage migrate --raw} from s3proxy to Azurite, both real servers, the source behind a TCP fault proxy: the
 * source goes away once the first page is copied and checkpointed, the run stops; the same command run again resumes
 * from the checkpoint and copies the rest, every object with its SHA-256 (a large one streamed too); a last run with
 * {@code --delete-source} finds everything identical, copies nothing and leaves nothing on the source.
 */
class RawMigrationAcrossServersTest {

    /** Past the listing's page (1,000), so the first run checkpoints once before the source goes. */
    private static final int SMALL = 1_500;
    private static final int LARGE = 24 << 20;
    private static final String LARGE_KEY = "k/zz-large.bin";

    @TempDir
    static Path serverDir;
    static S3ProxyProcess s3;
    static AzuriteProcess azurite;

    @TempDir
    Path wd;

    @BeforeAll
    static void startServers() throws Exception {
        s3 = S3ProxyProcess.start(serverDir.resolve("blobs"));
        azurite = AzuriteProcess.start();
    }

    @AfterAll
    static void stopServers() throws InterruptedException {
        if (s3 != null) {
            s3.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

    @Test
    void raw_mode_from_s3proxy_to_azurite_resumes_after_the_source_went_away_and_leaves_nothing_behind()
            throws Exception {
        try (FaultProxy proxy = FaultProxy.to(s3.port())) {
            CliHarness cli = new CliHarness(wd);
            cli.providers = BlobStoreProviders.load();
            cli.env.remove("PRIMARY_BACKEND");
            cli.env.put("STOWAGE_HOME", wd.resolve("home").toString());
            String bucket = "raw-" + UUID.randomUUID().toString().substring(0, 13);
            String container = "raw-" + UUID.randomUUID().toString().substring(0, 13);
            // 'direct' is the same bucket without the proxy, to fill and inspect it.
            Files.writeString(wd.resolve("stowage.yaml"), """
                    backends:
                      s3: { type: minio, endpoint: "%s", bucket: %s, access_key: %s, secret_key: %s,
                            circuit: { open_for: 500ms } }
                      direct: { type: minio, endpoint: "%s", bucket: %s, access_key: %s, secret_key: %s }
                      azure: { type: azure_blob, endpoint: "%s", account_name: %s, account_key: "%s", container: %s }
                    primary: direct
                    """.formatted(proxy.endpoint(), bucket, S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY,
                    s3.endpoint(), bucket, S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY,
                    azurite.blobEndpoint(), AzuriteProcess.ACCOUNT, AzuriteProcess.KEY, container));
            StowageConfig config = StowageConfig.load(ConfigSources.of(cli.env, wd), cli.providers);
            try (StorageManager manager = StorageManager.open(config, cli.providers)) {
                BlobStore direct = manager.configured("direct").orElseThrow();
                BlobStore azure = manager.configured("azure").orElseThrow();
                Map<String, String> shas = fill(direct);
                Path state = wd.resolve("home/state");

                // The source goes away as soon as the first page's checkpoint is written.
                AtomicBoolean watching = new AtomicBoolean(true);
                Thread cutter = Thread.ofVirtual().start(() -> {
                    while (watching.get() && !checkpointed(state)) {
                        try {
                            Thread.sleep(2); // watching a folder, not timing the test
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    proxy.refuse();
                    proxy.resetConnections();
                });
                CliHarness.Result first = cli.run("migrate", "--raw", "--from", "s3", "--to", "azure");
                watching.set(false);
                cutter.join();
                assertThat(first.exitCode()).as(first.out() + first.err())
                        .isEqualTo(ExitCodes.of(ErrorKind.UNAVAILABLE));
                assertThat(checkpointed(state)).as("the checkpoint a second run resumes from; %s", first.err()).isTrue();
                // The listing's first page, copied and checkpointed before the source went (the line printed after
                // its checkpoint counts it), and perhaps a few keys of the second, which was listed while the first
                // copied and starts copying the moment the checkpoint is written.
                Matcher pageLine = Pattern.compile("copied (\\d+), skipped (\\d+), failed 0").matcher(first.out());
                assertThat(pageLine.find()).as("the first page's line; %s", first.out()).isTrue();
                long firstPage = Long.parseLong(pageLine.group(1)) + Long.parseLong(pageLine.group(2));
                int before = keys(azure).size();
                assertThat(before).as("copied before the source went; %s", first.err())
                        .isGreaterThanOrEqualTo((int) firstPage).isLessThan(shas.size());

                proxy.accept();
                CliHarness.Result second = cli.run("migrate", "--raw", "--from", "s3", "--to", "azure");
                assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
                assertThat(second.out()).contains("resuming from the checkpoint").contains("failed 0");
                Matcher counts = Pattern.compile("copied (\\d+) \\(.*\\), skipped (\\d+) identical").matcher(second.out());
                assertThat(counts.find()).as(second.out()).isTrue();
                assertThat(Long.parseLong(counts.group(1)) + Long.parseLong(counts.group(2)))
                        .as("the keys past the checkpointed first page, and only those")
                        .isEqualTo(shas.size() - firstPage);
                assertThat(Long.parseLong(counts.group(1))).as("copied: the keys not on the target yet, and only those")
                        .isEqualTo(shas.size() - before);
                assertThat(checkpointed(state)).as("the checkpoint, removed once the run finished").isFalse();
                assertThat(keys(azure)).containsExactlyInAnyOrderElementsOf(shas.keySet());
                for (Map.Entry<String, String> e : shas.entrySet()) {
                    assertThat(azure.stat(BlobKey.of(e.getKey())).sha256()).as(e.getKey()).contains(e.getValue());
                }
                try (BlobRead read = azure.get(BlobKey.of(LARGE_KEY), GetOptions.defaults())) {
                    assertThat(Contents.sha256(read.stream())).isEqualTo(shas.get(LARGE_KEY));
                }

                CliHarness.Result move = cli.run("migrate", "--raw", "--from", "s3", "--to", "azure",
                        "--delete-source");
                assertThat(move.exitCode()).as(move.err()).isZero();
                assertThat(move.out()).contains("copied 0 (0 B), skipped " + shas.size() + " identical, failed 0,"
                        + " deleted " + shas.size());
                assertThat(keys(direct)).as("nothing left on the source").isEmpty();
                assertThat(keys(azure)).hasSize(shas.size());
            }
        }
    }

    /** {@link #SMALL} small objects and a large one on the source, put 8 at a time; their SHA-256s by key. */
    private static Map<String, String> fill(BlobStore store) throws Exception {
        Map<String, String> shas = new HashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<BlobInfo>> puts = new ArrayList<>();
            for (int i = 0; i < SMALL; i++) {
                byte[] data = Contents.bytes(i, 100 + i % 900);
                BlobKey key = BlobKey.of(String.format("k/%05d", i));
                shas.put(key.value(), Contents.sha256(data));
                puts.add(pool.submit(() -> store.put(key, BlobContent.of(data), PutOptions.defaults())));
            }
            for (Future<BlobInfo> put : puts) {
                put.get();
            }
        }
        store.put(BlobKey.of(LARGE_KEY), BlobContent.of(Contents.generated(7, LARGE), LARGE), PutOptions.defaults());
        shas.put(LARGE_KEY, Contents.sha256(7, LARGE));
        return shas;
    }

    private static boolean checkpointed(Path state) {
        if (!Files.isDirectory(state)) {
            return false;
        }
        try (Stream<Path> files = Files.list(state)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".checkpoint"));
        } catch (IOException e) {
            return false; // the run is renaming it into place
        }
    }

    private static List<String> keys(BlobStore store) {
        List<String> out = new ArrayList<>();
        ListRequest request = ListRequest.prefix("k/").withLimit(1000);
        while (true) {
            Page<BlobInfo> page = store.list(request);
            page.items().forEach(b -> out.add(b.key().value()));
            if (page.nextCursor().isEmpty()) {
                return out;
            }
            request = request.withCursor(page.nextCursor().get());
        }
    }
}
