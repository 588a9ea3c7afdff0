package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.ForwardingBlobStore;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.StorageException;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.local.LocalBlobStore;
import io.stowage.manager.StorageManager;
import io.stowage.service.FileRecord;
import io.stowage.service.SaveOptions;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.testkit.Contents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stowage migrate}: a catalog migration from the memory backend to a local one followed to its end (one line
 * per batch off a terminal), its status and rollback; and raw mode, which skips identical objects and resumes from
 * its checkpoint after a run that stopped half way.
 */
class MigrateCommandTest {

    @TempDir
    Path wd;

    CliHarness cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliHarness(wd);
        cli.env.put("STOWAGE_HOME", wd.resolve("home").toString());
        Files.writeString(wd.resolve("stowage.yaml"), """
                backends:
                  disk: { type: local, path: disk }
                """);
    }

    private StowageConfig config() {
        return StowageConfig.load(ConfigSources.of(cli.env, wd), cli.providers);
    }

    @Test
    void a_catalog_migration_moves_every_file_shows_its_batches_and_rolls_back() throws Exception {
        List<FileRecord> files = new ArrayList<>();
        StowageConfig config = config();
        try (StorageService service = StorageService.open(ServiceSettings.from(config),
                StorageManager.builder(config).providers(cli.providers))) {
            for (int i = 0; i < 30; i++) {
                files.add(service.save("ada", "f" + i + ".txt", BlobContent.ofUtf8("file " + i), SaveOptions.defaults()));
            }
        }

        CliHarness.Result dry = cli.run("migrate", "--from", "memory", "--to", "disk", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("would move 30 versions of 30 files");

        CliHarness.Result run = cli.run("migrate", "--from", "memory", "--to", "disk", "--batch-size", "10",
                "--delete-source");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher id = Pattern.compile("migration (\\w+)").matcher(run.out());
        assertThat(id.find()).as(run.out()).isTrue();
        assertThat(run.out().lines().filter(l -> l.startsWith("running ")).count()).as(run.out()).isEqualTo(3);
        assertThat(run.out()).contains("completed 100%").contains("30/30 versions");
        assertThat(cli.memory.list(ListRequest.prefix("ada/")).items()).isEmpty();
        try (LocalBlobStore disk = LocalBlobStore.open(wd.resolve("disk"))) {
            assertThat(disk.list(ListRequest.prefix("ada/")).items()).hasSize(30);
        }

        CliHarness.Result status = cli.run("migrate", "status", id.group(1));
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("job " + id.group(1) + ": completed, memory -> disk (deleting the source)");

        CliHarness.Result back = cli.run("migrate", "rollback", id.group(1));
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(back.out()).contains(": rolled_back");
        assertThat(cli.memory.list(ListRequest.prefix("ada/")).items()).hasSize(30);

        CliHarness.Result again = cli.run("migrate", "cancel", id.group(1));
        assertThat(again.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.PRECONDITION_FAILED));
        assertThat(again.err()).contains("is rolled_back, not running");
        CliHarness.Result unknown = cli.run("migrate", "--from", "memory", "--to", "nowhere");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.INVALID_ARGUMENT));
        assertThat(unknown.err()).contains("no backend named 'nowhere'");
    }

    @Test
    void raw_mode_copies_verified_skips_what_is_identical_and_resumes_from_its_checkpoint() throws Exception {
        int n = 2300;
        fillMemory(n, 200);
        // The first run's second page fails (every retry too): the run stops with the first page copied and checkpointed.
        AtomicBoolean away = new AtomicBoolean(true);
        cli.wrap = store -> new ForwardingBlobStore(store) {
            @Override
            public Page<BlobInfo> list(ListRequest request) {
                if (request.cursorIfAny().isPresent() && away.get()) {
                    throw StorageException.unavailable("memory", "list", "injected outage", null);
                }
                return super.list(request);
            }
        };

        CliHarness.Result first = cli.run("migrate", "--raw", "--from", "memory", "--to", "disk", "--prefix", "k/");
        assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(ExitCodes.of(ErrorKind.UNAVAILABLE));
        away.set(false);
        try (Stream<Path> state = Files.list(wd.resolve("home/state"))) {
            assertThat(state.map(p -> p.getFileName().toString())).anyMatch(f -> f.endsWith(".checkpoint"));
        }

        CliHarness.Result second = cli.run("migrate", "--raw", "--from", "memory", "--to", "disk", "--prefix", "k/");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("resuming from the checkpoint")
                .contains("copied " + (n - 1000) + " (").contains("skipped 0 identical, failed 0");
        try (LocalBlobStore disk = LocalBlobStore.open(wd.resolve("disk"))) {
            List<BlobInfo> copied = all(disk);
            assertThat(copied).hasSize(n);
            for (BlobInfo b : copied) {
                assertThat(disk.stat(b.key()).sha256()).isEqualTo(cli.memory.stat(b.key()).sha256());
            }
        }
        try (Stream<Path> state = Files.list(wd.resolve("home/state"))) {
            assertThat(state.map(p -> p.getFileName().toString())).noneMatch(f -> f.endsWith(".checkpoint"));
        }

        CliHarness.Result dry = cli.run("migrate", "--raw", "--from", "memory", "--to", "disk", "--dry-run");
        assertThat(dry.out()).contains("would copy 0 (0 B), skipped " + n + " identical");

        CliHarness.Result move = cli.run("migrate", "--raw", "--from", "memory", "--to", "disk", "--delete-source");
        assertThat(move.exitCode()).as(move.err()).isZero();
        assertThat(move.out()).contains("copied 0 (0 B), skipped " + n + " identical, failed 0, deleted " + n);
        assertThat(cli.memory.list(ListRequest.prefix("k/")).items()).isEmpty();
    }

    @Test
    void raw_mode_lists_the_next_page_while_the_current_one_copies() throws Exception {
        int n = 1001;
        fillMemory(n, 100);
        // The last key of the first page is read only once the second page has been asked for: a run that lists
        // only after a page's copies end would wait here until the bound and fail that key.
        java.util.concurrent.CountDownLatch secondPageListed = new java.util.concurrent.CountDownLatch(1);
        AtomicBoolean waitedInVain = new AtomicBoolean();
        cli.wrap = store -> new ForwardingBlobStore(store) {
            @Override
            public Page<BlobInfo> list(ListRequest request) {
                if (request.cursorIfAny().isPresent()) {
                    secondPageListed.countDown();
                }
                return super.list(request);
            }

            @Override
            public io.stowage.BlobRead get(io.stowage.BlobKey key, io.stowage.GetOptions options) {
                if (key.value().equals("k/00999")) {
                    awaitOrFail(secondPageListed, waitedInVain, "the next page was not listed");
                }
                return super.get(key, options);
            }
        };

        CliHarness.Result run = cli.run("migrate", "--raw", "--from", "memory", "--to", "disk", "--prefix", "k/");
        assertThat(waitedInVain).as(run.err()).isFalse();
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("copied " + n + " (").contains("failed 0");
    }

    @Test
    void raw_mode_opens_and_lists_the_target_while_the_source_lists_its_first_page() throws Exception {
        int n = 50;
        fillMemory(n, 100);
        Files.writeString(wd.resolve("stowage.yaml"), """
                backends:
                  disk: { type: local, path: disk }
                  there: { type: memory }
                """);
        // Two backends over the one shared memory store: the source's first listing returns only once the target
        // has been asked for its first page. A run that opens and lists the target after the source's first page
        // would wait here until the bound and fail.
        java.util.concurrent.CountDownLatch targetListed = new java.util.concurrent.CountDownLatch(1);
        AtomicBoolean waitedInVain = new AtomicBoolean();
        cli.wrapNamed = (name, store) -> new ForwardingBlobStore(store) {
            @Override
            public Page<BlobInfo> list(ListRequest request) {
                if (name.equals("there")) {
                    targetListed.countDown();
                } else if (request.cursorIfAny().isEmpty()) {
                    awaitOrFail(targetListed, waitedInVain, "the target was not listed beside the source");
                }
                return super.list(request);
            }
        };

        CliHarness.Result run = cli.run("migrate", "--raw", "--from", "memory", "--to", "there", "--prefix", "k/");
        assertThat(waitedInVain).as(run.err()).isFalse();
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("copied 0 (0 B), skipped " + n + " identical, failed 0");

        CliHarness.Result unknown = cli.run("migrate", "--raw", "--from", "memory", "--to", "nowhere");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.INVALID_ARGUMENT));
        assertThat(unknown.err()).contains("no backend named 'nowhere'; configured: disk, local, memory, there");
    }

    /** Waits for {@code latch} up to a bound (against a hang, not a timing); past it, marks {@code inVain} and fails. */
    private static void awaitOrFail(java.util.concurrent.CountDownLatch latch, AtomicBoolean inVain, String why) {
        try {
            if (!latch.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                inVain.set(true);
                throw new IllegalStateException(why);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code n} objects of {@code size} bytes under {@code k/} in the memory backend, in listing order. */
    private void fillMemory(int n, int size) {
        for (int i = 0; i < n; i++) {
            cli.memory.put(io.stowage.BlobKey.of(String.format("k/%05d", i)), BlobContent.of(Contents.bytes(i, size)),
                    io.stowage.PutOptions.defaults());
        }
    }

    private static List<BlobInfo> all(BlobStore store) {
        List<BlobInfo> out = new ArrayList<>();
        ListRequest request = ListRequest.prefix("k/").withLimit(1000);
        while (true) {
            Page<BlobInfo> page = store.list(request);
            out.addAll(page.items());
            if (page.nextCursor().isEmpty()) {
                return out;
            }
            request = request.withCursor(page.nextCursor().get());
        }
    }
}
