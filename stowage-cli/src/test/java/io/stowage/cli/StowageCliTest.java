package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.ForwardingBlobStore;
import io.stowage.GetOptions;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StowageCliTest {

    private static final String SECRET = "s3cr3t-Value-That-Must-Never-Show-0123456789";

    @TempDir
    Path wd;

    CliHarness cli;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(wd);
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = wd.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static void assertOneLineError(CliHarness.Result r, int code, String contains) {
        assertThat(r.exitCode()).isEqualTo(code);
        assertThat(r.err()).startsWith("stowage: ").contains(contains).doesNotContain("\tat ");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    // ---- file commands ---------------------------------------------------------------------------

    @Test
    void ls_into_a_pipe_whose_reader_went_away_stops_quietly_with_sigpipes_status() throws IOException {
        file("a.txt", "x".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 5; i++) {
            assertThat(cli.run("put", "a.txt", "k/" + i).exitCode()).isZero();
        }
        java.io.OutputStream closedPipe = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };

        CliHarness.Result ls = cli.run(new ByteArrayInputStream(new byte[0]), closedPipe, "ls");

        assertThat(ls.exitCode()).isEqualTo(141);
        assertThat(ls.err()).isEmpty();
    }

    @Test
    void put_get_ls_stat_rm_round_trip() throws IOException {
        byte[] data = random(300_000);
        file("in/photo.jpg", data);

        CliHarness.Result put = cli.run("put", "in/photo.jpg", "photos/2026/a.jpg", "--meta", "owner=ann");
        assertThat(put.exitCode()).as(put.err()).isZero();
        assertThat(put.out()).startsWith("stored photos/2026/a.jpg  300000 bytes  sha256 ");

        CliHarness.Result get = cli.run("get", "photos/2026/a.jpg", "out/copy.jpg");
        assertThat(get.exitCode()).as(get.err()).isZero();
        assertThat(Files.readAllBytes(wd.resolve("out/copy.jpg"))).isEqualTo(data);

        cli.run("put", "in/photo.jpg", "photos/b.jpg");
        cli.run("put", "in/photo.jpg", "zzz.bin");
        CliHarness.Result ls = cli.run("ls", "photos/");
        assertThat(ls.out().lines().toList()).hasSize(2);
        assertThat(ls.out().lines().toList().get(0))
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +300000 photos/2026/a\\.jpg");
        assertThat(ls.out()).contains("photos/b.jpg").doesNotContain("zzz.bin");
        assertThat(cli.run("ls").out().lines()).hasSize(3);

        CliHarness.Result stat = cli.run("stat", "photos/2026/a.jpg");
        assertThat(stat.exitCode()).isZero();
        assertThat(stat.out()).contains("key:           photos/2026/a.jpg").contains("size:          300000")
                .contains("content type:  image/jpeg").contains("backend:       memory")
                .contains("metadata.owner: ann").containsPattern("sha256: +[0-9a-f]{64}");

        CliHarness.Result rm = cli.run("rm", "photos/2026/a.jpg");
        assertThat(rm.exitCode()).isZero();
        assertThat(rm.out()).contains("deleted photos/2026/a.jpg");
        assertThat(cli.run("rm", "photos/2026/a.jpg").exitCode()).isZero();
        assertOneLineError(cli.run("stat", "photos/2026/a.jpg"), ExitCodes.of(ErrorKind.NOT_FOUND), "photos/2026/a.jpg");
    }

    @Test
    void put_from_stdin_and_get_to_stdout_stream_the_bytes() {
        byte[] data = random(1_000_003);
        CliHarness.Result put = cli.run(new ByteArrayInputStream(data), "put", "-", "streams/x.bin",
                "--content-type", "application/x-test");
        assertThat(put.exitCode()).as(put.err()).isZero();

        CliHarness.Result get = cli.run("get", "streams/x.bin", "-");
        assertThat(get.exitCode()).isZero();
        assertThat(get.stdoutBytes()).isEqualTo(data);
        assertThat(cli.run("stat", "streams/x.bin").out()).contains("application/x-test");
    }

    @Test
    void get_into_a_directory_uses_the_last_key_segment() throws IOException {
        file("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
        cli.run("put", "a.txt", "docs/readme.txt");
        Files.createDirectories(wd.resolve("dl"));
        assertThat(cli.run("get", "docs/readme.txt", "dl").exitCode()).isZero();
        assertThat(wd.resolve("dl/readme.txt")).hasContent("hello");
    }

    @Test
    void get_of_a_missing_key_fails_with_one_line_and_leaves_no_file() throws IOException {
        CliHarness.Result r = cli.run("get", "nope/missing.txt", "target.txt");
        assertOneLineError(r, ExitCodes.of(ErrorKind.NOT_FOUND), "no blob 'nope/missing.txt'");
        try (Stream<Path> files = Files.list(wd)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void an_invalid_key_is_refused_before_anything_happens() throws IOException {
        file("a.txt", new byte[] {1});
        assertOneLineError(cli.run("put", "a.txt", "../etc/passwd"), ExitCodes.of(ErrorKind.INVALID_KEY),
                "invalid key '../etc/passwd'");
        assertOneLineError(cli.run("get", "a//b", "-"), ExitCodes.of(ErrorKind.INVALID_KEY), "invalid key");
        assertThat(ExitCodes.of(ErrorKind.INVALID_KEY)).isNotEqualTo(ExitCodes.of(ErrorKind.NOT_FOUND));
    }

    @Test
    void a_missing_local_file_is_a_local_file_error() {
        assertOneLineError(cli.run("put", "no-such-file.txt", "k"), ExitCodes.LOCAL_FILE, "no such file: no-such-file.txt");
    }

    @Test
    void versions_on_a_backend_without_them_is_a_clear_one_line_error() {
        cli.run(new ByteArrayInputStream(new byte[] {1}), "put", "-", "k");
        assertOneLineError(cli.run("versions", "k"), ExitCodes.of(ErrorKind.UNSUPPORTED),
                "backend 'memory' does not keep versions");
    }

    @Test
    void verbose_prints_the_stack_trace() {
        CliHarness.Result r = cli.run("--verbose", "stat", "missing");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.NOT_FOUND));
        assertThat(r.err()).contains("\tat ").contains("stowage: no blob 'missing'");
        assertThat(cli.run("stat", "missing", "--verbose").err()).contains("\tat ");
    }

    @Test
    void a_wrong_option_is_a_usage_error_on_one_line() {
        CliHarness.Result r = cli.run("put", "--bogus", "a", "b");
        assertOneLineError(r, ExitCodes.USAGE, "--bogus");
        assertOneLineError(cli.run("frobnicate"), ExitCodes.USAGE, "frobnicate");
    }

    @Test
    void help_lists_the_commands_and_the_exit_codes_and_version_prints_the_version() {
        CliHarness.Result help = cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("put", "get", "ls", "stat", "rm", "cp", "presign", "restore", "versions",
                "backends", "config",
                "--config", "--verbose", "--version", "Exit codes:", "3  CONFIG", "4  NOT_FOUND", "130  interrupted");
        CliHarness.Result version = cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("stowage ");
        assertThat(cli.run().out()).contains("Usage: stowage");
        CliHarness.Result putHelp = cli.run("put", "--help");
        assertThat(putHelp.exitCode()).as(putHelp.err()).isZero();
        assertThat(putHelp.out()).contains("Usage: stowage put").contains("--content-type").contains("--meta");
        assertThat(cli.run("config", "show", "--help").out()).contains("Usage: stowage config show");
    }

    @Test
    void a_command_line_builds_the_command_it_names_and_all_of_them_for_help_or_an_unknown_name() {
        assertThat(StowageCli.commandsFor("--config", "s.yaml", "--verbose", "migrate", "--raw"))
                .containsExactly(MigrateCommand.class);
        assertThat(StowageCli.commandsFor("--primary=disk", "trash")).containsExactly(TrashCommands.List.class);
        assertThat(StowageCli.commandsFor("--help", "put")).isEqualTo(StowageCli.COMMANDS);
        assertThat(StowageCli.commandsFor("--bogus", "put")).isEqualTo(StowageCli.COMMANDS);
        assertThat(StowageCli.commandsFor("mirgate")).isEqualTo(StowageCli.COMMANDS);
        assertThat(StowageCli.commandsFor()).isEqualTo(StowageCli.COMMANDS);
        // The root's options still reach the one command built (they are inherited), before its name and after it.
        CliHarness.Result help = cli.run("--verbose", "migrate", "--help");
        assertThat(help.exitCode()).as(help.err()).isZero();
        assertThat(help.out()).contains("Usage: stowage migrate").contains("--config").contains("--verbose");
        assertThat(cli.run("ls", "--config", "nowhere.yaml").err()).contains("nowhere.yaml");
    }

    // ---- configuration -----------------------------------------------------------------------------

    @Test
    void bad_configuration_lists_every_problem_on_one_line() throws IOException {
        Files.writeString(wd.resolve("stowage.yaml"), """
                backends:
                  aws_hot: { type: aws_s3, secret_key: "%s" }
                """.formatted(SECRET));
        cli.env.put("PRIMARY_BACKEND", "foo");
        CliHarness.Result r = cli.run("ls");
        assertOneLineError(r, ExitCodes.of(ErrorKind.CONFIG), "2 problems");
        assertThat(r.err()).contains("PRIMARY_BACKEND: unknown backend 'foo' (known: aws_hot, local)")
                .contains("backends.aws_hot.bucket: required").doesNotContain(SECRET);
    }

    @Test
    void config_show_masks_secrets_and_names_sources() throws IOException {
        Files.writeString(wd.resolve(".env"), "MINIO_SECRET_KEY=" + SECRET + "\n");
        cli.env.put("MINIO_ENDPOINT_URL", "http://localhost:9000");
        cli.env.put("MINIO_BUCKET_NAME", "files");
        CliHarness.Result r = cli.run("config", "show");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain(SECRET).contains("secret_key: ****")
                .containsPattern("primary: memory\\s+\\(env PRIMARY_BACKEND\\)")
                .containsPattern("bucket: files\\s+\\(env MINIO_BUCKET_NAME\\)")
                .containsPattern("\\(\\.env MINIO_SECRET_KEY\\)");
        assertThat(cli.run("config").out()).isEqualTo(r.out());
    }

    @Test
    void the_config_flag_names_the_yaml_file_relative_to_the_working_directory() throws IOException {
        Files.createDirectories(wd.resolve("etc"));
        Files.writeString(wd.resolve("etc/s.yaml"), "backends:\n  scratch: { type: memory }\nprimary: scratch\n");
        cli.env.remove("PRIMARY_BACKEND");
        CliHarness.Result r = cli.run("--config", "etc/s.yaml", "config", "show");
        assertThat(r.out()).contains("scratch (memory)  [primary]");
        CliHarness.Result missing = cli.run("--config", "etc/none.yaml", "ls");
        assertOneLineError(missing, ExitCodes.of(ErrorKind.CONFIG), "--config: configuration file not found");
    }

    @Test
    void backends_lists_available_types_and_configured_backends_and_where_they_point() {
        cli.env.put("AZURE_CONTAINER_NAME", "files");
        cli.env.put("AZURE_STORAGE_ENDPOINT", "https://user:pw@acct.example.net/?sv=2024&sig=" + SECRET);
        CliHarness.Result r = cli.run("backends");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Available types:").containsPattern("\n  memory +in-memory");
        assertThat(r.out()).containsPattern("\\* memory +memory *\\n");
        // Configured without credentials: listed from its settings, nothing opened or asked.
        assertThat(r.out()).containsPattern("\n  azure_blob +azure_blob +container files at https://acct\\.example\\.net/\\n")
                .doesNotContain(SECRET).doesNotContain("pw@");
        assertThat(r.out()).contains("'stowage health' probes the routed backends");
    }

    // ---- interruption and failures leave nothing behind ----------------------------------------------

    @Test
    void ctrl_c_during_a_put_from_stdin_stores_nothing() {
        AtomicLong served = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (served.addAndGet(len) > 2_000_000) {
                    cli.lastContext.interrupt(); // what the shutdown hook does on SIGINT
                }
                Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        CliHarness.Result r = cli.run(endless, "put", "-", "big/unfinished.bin");
        assertOneLineError(r, ExitCodes.INTERRUPTED, "interrupted; nothing was stored under 'big/unfinished.bin'");
        assertThat(cli.memory.exists(BlobKey.of("big/unfinished.bin"))).isFalse();
    }

    @Test
    void a_put_whose_input_fails_half_way_stores_nothing() {
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(random(500_000))) {
            private int total;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (total > 200_000) {
                    throw new IOException("pipe broke");
                }
                int n = super.read(b, off, len);
                total += Math.max(n, 0);
                return n;
            }
        };
        CliHarness.Result r = cli.run(failing, "put", "-", "half.bin");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).startsWith("stowage: ").doesNotContain("\tat ");
        assertThat(cli.memory.exists(BlobKey.of("half.bin"))).isFalse();
    }

    @Test
    void a_get_that_fails_half_way_leaves_no_partial_file() throws IOException {
        cli.run(new ByteArrayInputStream(random(1_000_000)), "put", "-", "data.bin");
        Files.writeString(wd.resolve("keep.bin"), "previous");
        cli.wrap = store -> new ForwardingBlobStore(store) {
            @Override
            public BlobRead get(BlobKey key, GetOptions options) {
                BlobRead read = super.get(key, options);
                return read.withStream(new FilterInputStream(read.stream()) {
                    private int total;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (total > 300_000) {
                            throw new IOException("connection reset");
                        }
                        int n = super.read(b, off, len);
                        total += Math.max(n, 0);
                        return n;
                    }
                });
            }
        };
        CliHarness.Result r = cli.run("get", "data.bin", "keep.bin");
        assertOneLineError(r, ExitCodes.LOCAL_FILE, "connection reset");
        assertThat(wd.resolve("keep.bin")).hasContent("previous");
        try (Stream<Path> files = Files.list(wd)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("keep.bin");
        }
    }

    @Test
    void ctrl_c_during_a_get_removes_the_partial_file() throws IOException {
        cli.run(new ByteArrayInputStream(random(2_000_000)), "put", "-", "data.bin");
        cli.wrap = store -> new ForwardingBlobStore(store) {
            @Override
            public BlobRead get(BlobKey key, GetOptions options) {
                BlobRead read = super.get(key, options);
                return read.withStream(new FilterInputStream(read.stream()) {
                    private int total;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        total += Math.max(n, 0);
                        if (total > 500_000) {
                            cli.lastContext.interrupt();
                        }
                        return n;
                    }
                });
            }
        };
        CliHarness.Result r = cli.run("get", "data.bin", "out.bin");
        assertOneLineError(r, ExitCodes.INTERRUPTED, "interrupted");
        try (Stream<Path> files = Files.list(wd)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void put_json_prints_the_stored_blob_and_get_json_goes_with_recursive_only() throws IOException {
        file("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
        CliHarness.Result put = cli.run("put", "--json", "a.txt", "docs/a.txt");
        assertThat(put.exitCode()).as(put.err()).isZero();
        assertThat(put.out().strip()).startsWith("{\"key\":\"docs/a.txt\",\"size\":5,")
                .contains("\"sha256\":\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"");
        CliHarness.Result get = cli.run("get", "--json", "docs/a.txt", "out.txt");
        assertOneLineError(get, ExitCodes.USAGE, "--json goes with --recursive");
        assertThat(wd.resolve("out.txt")).doesNotExist();
    }

    @Test
    void ctrl_c_during_a_recursive_put_stops_the_walk_stores_no_part_and_says_how_many_were_stored() throws IOException {
        for (int i = 1; i <= 6; i++) {
            file("src/f" + i + ".bin", random(300_000 + i));
        }
        AtomicLong puts = new AtomicLong();
        cli.wrap = store -> new ForwardingBlobStore(store) {
            @Override
            public io.stowage.BlobInfo put(BlobKey key, io.stowage.BlobContent content, io.stowage.PutOptions options) {
                if (puts.incrementAndGet() == 3) {
                    cli.lastContext.interrupt(); // SIGINT while the third file goes up
                }
                return super.put(key, content, options);
            }
        };
        CliHarness.Result r = cli.run("put", "--recursive", "--parallel", "1", "src", "up/");
        assertOneLineError(r, ExitCodes.INTERRUPTED, "interrupted; 2 files stored under 'up/' before it, none in part");
        try (Stream<io.stowage.BlobInfo> stored = io.stowage.Listing.all(cli.memory, "up/")) {
            assertThat(stored).hasSize(2);
        }
        assertThat(puts.get()).isEqualTo(3);
    }

    @Test
    void a_progress_bar_is_drawn_on_a_terminal_for_large_files_only() throws IOException {
        cli.interactive = true;
        file("big.bin", random((int) ProgressBar.THRESHOLD + 1));
        file("small.bin", random(1000));
        CliHarness.Result big = cli.run("put", "big.bin", "big.bin");
        assertThat(big.err()).contains("big.bin [").contains("100%");
        assertThat(cli.run("put", "small.bin", "small.bin").err()).isEmpty();
        cli.interactive = false;
        assertThat(cli.run("put", "big.bin", "big2.bin").err()).isEmpty();
    }

    // ---- the local backend -------------------------------------------------------------------------

    @Test
    void works_on_the_local_backend_under_stowage_home() throws IOException {
        cli.env.put("PRIMARY_BACKEND", "local");
        cli.env.put("STOWAGE_HOME", "state");
        byte[] data = random(123_457);
        file("ünïcödé файл.bin", data);
        CliHarness.Result put = cli.run("put", "ünïcödé файл.bin", "docs/ünïcödé файл.bin");
        assertThat(put.exitCode()).as(put.err()).isZero();
        assertThat(cli.run("ls", "docs/").out()).contains(" 123457 docs/ünïcödé файл.bin");
        assertThat(cli.run("stat", "docs/ünïcödé файл.bin").out()).contains("backend:       local");
        assertThat(cli.run("get", "docs/ünïcödé файл.bin", "back.bin").exitCode()).isZero();
        assertThat(Files.readAllBytes(wd.resolve("back.bin"))).isEqualTo(data);
        assertThat(Files.isDirectory(wd.resolve("state"))).isTrue();
        assertThat(cli.run("backends").out()).containsPattern("\\* local +local +path .*state\\n");
        assertThat(cli.run("rm", "docs/ünïcödé файл.bin").exitCode()).isZero();
        assertThat(cli.run("ls").out()).isEmpty();
    }

    @Test
    void on_the_local_backend_versions_are_listed_newest_first() throws IOException {
        cli.env.put("PRIMARY_BACKEND", "local");
        cli.env.put("LOCAL_STORAGE_PATH", "files");
        cli.run(new ByteArrayInputStream("one".getBytes(StandardCharsets.UTF_8)), "put", "-", "v.txt");
        cli.run(new ByteArrayInputStream("two!".getBytes(StandardCharsets.UTF_8)), "put", "-", "v.txt");
        CliHarness.Result r = cli.run("versions", "v.txt");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).hasSize(2);
        assertThat(r.out().lines().findFirst().orElseThrow()).contains("4 ").endsWith("(current)");
    }
}
