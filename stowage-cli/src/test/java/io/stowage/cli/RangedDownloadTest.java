package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ByteRange;
import io.stowage.ForwardingBlobStore;
import io.stowage.GetOptions;
import io.stowage.PutOptions;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get} of a large object into a file by ranged reads in parallel (decision 0056), run in-process on
 * the memory backend with failures injected under the CLI's layers: the file is complete and byte for byte
 * the object; a read failing mid-stream, or an object replaced mid-download, fails the command and leaves
 * neither a target file nor a temp file (an existing target keeps its old content).
 */
class RangedDownloadTest {

    /** Just above the threshold, and not a whole number of chunks. */
    static final int SIZE = (int) RangedDownload.MIN_SIZE + 1_234_567;

    @TempDir
    Path wd;

    CliHarness cli;
    byte[] data;
    final List<GetOptions> gets = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        cli = new CliHarness(wd);
        data = new byte[SIZE];
        new Random(17).nextBytes(data);
        cli.memory.put(BlobKey.of("big.bin"), BlobContent.of(data), PutOptions.defaults());
    }

    /** Records every get reaching the backend; {@code streams} may replace the stream of each. */
    private Function<BlobStore, BlobStore> recording(Function<GetOptions, Function<InputStream, InputStream>> streams) {
        return store -> new ForwardingBlobStore(store) {
            @Override
            public BlobRead get(BlobKey key, GetOptions options) {
                gets.add(options);
                BlobRead read = super.get(key, options);
                return read.withStream(streams.apply(options).apply(read.stream()));
            }
        };
    }

    private List<GetOptions> ranged() {
        return gets.stream().filter(g -> g.range().isPresent()).toList();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(wd)) {
            return s.filter(p -> !p.getFileName().toString().equals("storage")).sorted().toList();
        }
    }

    @Test
    void a_large_object_arrives_whole_through_ranges_held_to_its_etag() throws IOException {
        cli.wrap = recording(o -> Function.identity());
        CliHarness.Result r = cli.run("get", "big.bin", "out.bin");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(wd.resolve("out.bin"))).isEqualTo(data);
        long chunk = RangedDownload.chunk(SIZE);
        long chunks = Math.ceilDiv(SIZE, chunk);
        List<GetOptions> ranged = ranged();
        assertThat(ranged).hasSize((int) chunks - 1);
        String etag = cli.memory.stat(BlobKey.of("big.bin")).etag().orElseThrow();
        assertThat(ranged).allSatisfy(g -> assertThat(g.ifMatch()).contains(etag));
        assertThat(ranged).extracting(g -> g.range().get().first())
                .containsExactlyInAnyOrderElementsOf(Stream.iterate(chunk, s -> s < SIZE, s -> s + chunk).toList());
        assertThat(files()).containsExactly(wd.resolve("out.bin"));
    }

    @Test
    void chunks_follow_the_length_so_a_large_object_costs_few_requests() {
        long mib = 1024 * 1024;
        // Two chunks a reader: a GiB in 8 requests (it took 64 of 16 MiB, each a fixed cost to the server).
        assertThat(RangedDownload.chunk(1024 * mib)).isEqualTo(128 * mib);
        assertThat(Math.ceilDiv(1024 * mib, RangedDownload.chunk(1024 * mib))).isEqualTo(2L * RangedDownload.PARALLEL);
        // Never below 16 MiB (a small object is mostly one reader's), never above 256 MiB, in whole MiB.
        assertThat(RangedDownload.chunk(RangedDownload.MIN_SIZE)).isEqualTo(16 * mib);
        assertThat(RangedDownload.chunk(100L * 1024 * mib)).isEqualTo(256 * mib);
        assertThat(RangedDownload.chunk(1000 * mib + 1)).isEqualTo(126 * mib);
    }

    @Test
    void a_read_failing_mid_stream_fails_the_get_and_leaves_no_file() throws IOException {
        // Every stream that would carry byte 2.5 chunks in fails there, however often it is asked again.
        long poison = RangedDownload.chunk(SIZE) * 5 / 2;
        cli.wrap = recording(o -> in -> failingAt(in, o, poison));
        CliHarness.Result r = cli.run("get", "big.bin", "out.bin");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("injected failure").doesNotContain("stowage-part");
        assertThat(files()).isEmpty();
    }

    @Test
    void a_failed_get_keeps_the_existing_target_as_it_was() throws IOException {
        Files.writeString(wd.resolve("out.bin"), "the old content");
        long poison = SIZE - 10;
        cli.wrap = recording(o -> in -> failingAt(in, o, poison));
        CliHarness.Result r = cli.run("get", "big.bin", "out.bin");
        assertThat(r.exitCode()).isNotZero();
        assertThat(Files.readString(wd.resolve("out.bin"))).isEqualTo("the old content");
        assertThat(files()).containsExactly(wd.resolve("out.bin"));
    }

    @Test
    void an_object_replaced_mid_download_fails_the_get_instead_of_mixing_two_versions() throws IOException {
        AtomicBoolean replaced = new AtomicBoolean();
        cli.wrap = store -> new ForwardingBlobStore(store) {
            @Override
            public BlobRead get(BlobKey key, GetOptions options) {
                if (options.range().isPresent() && replaced.compareAndSet(false, true)) {
                    byte[] other = data.clone();
                    other[SIZE - 1] ^= 1;
                    cli.memory.put(key, BlobContent.of(other), PutOptions.defaults());
                }
                return super.get(key, options);
            }
        };
        CliHarness.Result r = cli.run("get", "big.bin", "out.bin");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.of(io.stowage.ErrorKind.PRECONDITION_FAILED));
        assertThat(files()).isEmpty();
    }

    @Test
    void a_small_object_and_a_verified_get_are_read_as_one_stream() throws IOException {
        cli.memory.put(BlobKey.of("small.bin"), BlobContent.of(new byte[1000]), PutOptions.defaults());
        cli.wrap = recording(o -> Function.identity());
        assertThat(cli.run("get", "small.bin", "small.out").exitCode()).isZero();
        CliHarness.Result verified = cli.run("get", "--verify", "big.bin", "verified.bin");
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        assertThat(Files.readAllBytes(wd.resolve("verified.bin"))).isEqualTo(data);
        assertThat(ranged()).isEmpty();
        assertThat(gets).hasSize(2);
    }

    @Test
    void a_large_object_to_stdout_is_one_stream() {
        cli.wrap = recording(o -> Function.identity());
        CliHarness.Result r = cli.run("get", "big.bin", "-");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.stdoutBytes()).isEqualTo(data);
        assertThat(ranged()).isEmpty();
    }

    /** {@code in} (the part of the object {@code options} asked for) failing when it reaches byte {@code poison}. */
    private InputStream failingAt(InputStream in, GetOptions options, long poison) {
        long start = options.range().map(ByteRange::first).orElse(0L);
        return new FilterInputStream(in) {
            long at = start;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (at <= poison && poison < at + len) {
                    len = (int) (poison - at);
                    if (len == 0) {
                        throw new IOException("injected failure at byte " + poison);
                    }
                }
                int n = super.read(b, off, len);
                if (n > 0) {
                    at += n;
                }
                return n;
            }
        };
    }
}
