package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.PartUploads;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.testkit.Contents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a part's bytes reach the disk on local part uploads (decision 0075). */
class LocalPartUploadsTest {

    private static final int MIB = 1 << 20;
    private static final BlobKey KEY = BlobKey.of("o/parts.bin");

    @TempDir
    Path root;

    LocalBlobStore store;

    @BeforeEach
    void open() {
        store = LocalBlobStore.open(root);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private LocalPartUploads parts(Function<FileChannel, BackgroundForce.Forcer> forcer) {
        return new LocalPartUploads(store, true, forcer);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private byte[] read(BlobKey key) throws IOException {
        try (BlobRead r = store.get(key); InputStream in = r.stream()) {
            return in.readAllBytes();
        }
    }

    /** A part's bytes in reads of 64 KiB; {@code beforeRead} runs with the count sent so far before each read. */
    private static InputStream sending(byte[] bytes, Contents.BeforeRead beforeRead) {
        return Contents.sending(bytes, 64 << 10, beforeRead);
    }

    @Test
    void aPartIsForcedWhileItArrivesAndOnceMoreAfterItsLastByte() throws Exception {
        byte[] bytes = random(8 * MIB, 1);
        CountDownLatch forcedEarly = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        List<Long> forcedAt = new CopyOnWriteArrayList<>();
        List<Boolean> afterEnd = new CopyOnWriteArrayList<>();
        LocalPartUploads parts = parts(ch -> () -> {
            forcedAt.add(ch.size());
            afterEnd.add(ended.get());
            forcedEarly.countDown();
            ch.force(false);
        });
        PartUploads.Upload upload = parts.begin(KEY, PutOptions.defaults());
        // The second half is sent only once a force has run while the first half was arriving.
        InputStream in = sending(bytes, sent -> {
            if (sent >= 4 * MIB && !awaited(forcedEarly)) {
                throw new IOException("nothing was forced while the part arrived");
            }
            if (sent == bytes.length) {
                ended.set(true);
            }
        });

        PartUploads.Part part = parts.putPart(upload, 1, BlobContent.of(in, bytes.length));

        assertThat(afterEnd).startsWith(false);
        assertThat(forcedAt.getFirst()).isBetween(2L * MIB, 4L * MIB);
        // The part's last force after its last byte, then its marker's (decision 0089).
        assertThat(afterEnd.get(afterEnd.size() - 2)).isTrue();
        assertThat(forcedAt.get(forcedAt.size() - 2)).isEqualTo(bytes.length);
        assertThat(forcedAt.getLast()).isLessThan(100L);
        parts.complete(upload, List.of(part), java.util.Optional.empty());
        assertThat(read(KEY)).isEqualTo(bytes);
    }

    @Test
    void aPartCutOffAfterBackgroundForcesLeavesNothingOfItAndCanBeSentAgain() throws Exception {
        byte[] first = random(3 * MIB, 2);
        byte[] second = random(5 * MIB, 3);
        AtomicInteger forces = new AtomicInteger();
        LocalPartUploads parts = parts(ch -> () -> {
            forces.incrementAndGet();
            ch.force(false);
        });
        PartUploads.Upload upload = parts.begin(KEY, PutOptions.defaults());
        PartUploads.Part one = parts.putPart(upload, 1, BlobContent.of(first));
        int before = forces.get();

        InputStream cut = sending(second, sent -> {
            if (sent >= 4 * MIB) {
                throw new IOException("connection reset");
            }
        });
        assertThatThrownBy(() -> parts.putPart(upload, 2, BlobContent.of(cut, second.length)))
                .isInstanceOf(StorageException.class);
        assertThat(forces.get()).isGreaterThan(before);

        PartUploads.Part two = parts.putPart(upload, 2, BlobContent.of(second));
        parts.complete(upload, List.of(one, two), java.util.Optional.empty());
        byte[] whole = new byte[first.length + second.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        assertThat(read(KEY)).isEqualTo(whole);
    }

    @Test
    void aPartCutOffGoesIntoDataAgainWhenSentAgainAndAPartPutAgainBeforeLaterOnesLeavesThemWhole() throws Exception {
        byte[] first = random(MIB, 5);
        byte[] second = random(2 * MIB, 6);
        byte[] firstAgain = random(MIB, 7);
        LocalPartUploads parts = parts(ch -> () -> ch.force(false));
        PartUploads.Upload upload = parts.begin(KEY, PutOptions.defaults());
        Path dir = store.layout.root.resolve("uploads").resolve(upload.id());
        parts.putPartBuffered(upload, 1, BlobContent.of(first));
        InputStream cut = sending(second, sent -> {
            if (sent >= MIB) {
                throw new IOException("connection reset");
            }
        });
        assertThatThrownBy(() -> parts.putPartBuffered(upload, 2, BlobContent.of(cut, second.length)))
                .isInstanceOf(StorageException.class);

        // Sent again, the part goes where it was to go, after the first one in data: no file of its own, no copy at
        // the completion (decision 0083; the part that ended data was forgotten with the cut before).
        PartUploads.Part two = parts.putPartBuffered(upload, 2, BlobContent.of(second));
        assertThat(dir.resolve("2.bin")).doesNotExist();
        // The first part put again must not write over the second in data: it goes to a file of its own.
        PartUploads.Part one = parts.putPartBuffered(upload, 1, BlobContent.of(firstAgain));
        assertThat(dir.resolve("1.bin")).exists();
        assertThat(dir.resolve("tail")).doesNotExist();
        parts.sync(upload);

        parts.complete(upload, List.of(one, two), java.util.Optional.empty());
        byte[] whole = new byte[firstAgain.length + second.length];
        System.arraycopy(firstAgain, 0, whole, 0, firstAgain.length);
        System.arraycopy(second, 0, whole, firstAgain.length, second.length);
        assertThat(read(KEY)).isEqualTo(whole);
    }

    @Test
    void aFailedBackgroundForceFailsThePartEvenWhenTheLastForceSucceeds() throws Exception {
        byte[] bytes = random(6 * MIB, 4);
        AtomicInteger calls = new AtomicInteger();
        // Linux may report a failed writeback once only: a later fsync then succeeds without the lost pages.
        LocalPartUploads parts = parts(ch -> () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("writeback failed");
            }
            ch.force(false);
        });
        PartUploads.Upload upload = parts.begin(KEY, PutOptions.defaults());

        assertThatThrownBy(() -> parts.putPart(upload, 1, BlobContent.of(bytes)))
                .isInstanceOf(StorageException.class).hasMessageContaining("writeback failed");
        assertThat(calls.get()).isGreaterThanOrEqualTo(1);
        assertThatThrownBy(() -> parts.complete(upload, List.of(new PartUploads.Part(1, bytes.length, "x")),
                java.util.Optional.empty())).isInstanceOf(StorageException.class);

        PartUploads.Part again = parts.putPart(upload, 1, BlobContent.of(bytes));
        parts.complete(upload, List.of(again), java.util.Optional.empty());
        assertThat(read(KEY)).isEqualTo(bytes);
    }

    @Test
    void aPartPutDurablyHasItsRecordForcedBeforeItReturnsABufferedOneLeavesItToTheSync() throws Exception {
        List<Long> forced = new CopyOnWriteArrayList<>();
        LocalPartUploads parts = parts(ch -> () -> {
            forced.add(ch.size());
            ch.force(false);
        });
        PartUploads.Upload upload = parts.begin(KEY, PutOptions.defaults());
        Path dir = store.layout.root.resolve("uploads").resolve(upload.id());
        byte[] first = random(MIB, 8);
        byte[] second = random(MIB, 9);

        PartUploads.Part one = parts.putPart(upload, 1, BlobContent.of(first));
        // The part's own bytes, and its record: a durable catalog commit may name the part as soon as this returns.
        assertThat(forced).contains((long) MIB, java.nio.file.Files.size(dir.resolve(LocalPartUploads.LOG)));

        forced.clear();
        PartUploads.Part two = parts.putPartBuffered(upload, 2, BlobContent.of(second));
        assertThat(forced).isEmpty();
        parts.complete(upload, List.of(one, two), java.util.Optional.empty());
        assertThat(read(KEY)).isEqualTo(concat(first, second));
    }

    /** Content that can only be lent from, in pieces of the sizes given; reading it fails the test. */
    private static final class Lending extends InputStream implements io.stowage.spi.io.LendingStream {
        private final byte[] bytes;
        private final int[] pieces;
        private int at;
        private int next;

        Lending(byte[] bytes, int... pieces) {
            this.bytes = bytes;
            this.pieces = pieces;
        }

        @Override
        public java.nio.ByteBuffer lend() {
            int n = at == bytes.length ? 0 : Math.min(pieces[next++ % pieces.length], bytes.length - at);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes.clone(), at, n).slice();
            at += n;
            return b;
        }

        @Override
        public int read() {
            throw new AssertionError("a lending stream was read");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            throw new AssertionError("a lending stream was read");
        }
    }

    @Test
    void contentThatLendsItsBuffersIsWrittenFromThemAndHeldToItsDeclaredLength() throws Exception {
        byte[] bytes = random(3 * MIB + 12_345, 10);
        LocalPartUploads parts = parts(ch -> () -> ch.force(false));
        PartUploads.Upload upload = parts.begin(KEY, PutOptions.defaults());

        PartUploads.Part one = parts.putPartBuffered(upload, 1,
                BlobContent.of(new Lending(bytes, 256 << 10, 1, 77_777), bytes.length));
        PartUploads.Part two = parts.putPart(upload, 2, BlobContent.of(new Lending(bytes, MIB), bytes.length));
        assertThatThrownBy(() -> parts.putPart(upload, 3, BlobContent.of(new Lending(bytes, MIB), bytes.length - 1)))
                .isInstanceOf(StorageException.class).hasMessageContaining("longer than the declared");
        assertThatThrownBy(() -> parts.putPart(upload, 3, BlobContent.of(new Lending(bytes, MIB), bytes.length + 1)))
                .isInstanceOf(StorageException.class).hasMessageContaining("ended after");

        parts.complete(upload, List.of(one, two), java.util.Optional.empty());
        assertThat(read(KEY)).isEqualTo(concat(bytes, bytes));
    }

    /** A store whose directory syncs are counted. */
    private LocalBlobStore counting(List<Path> dirs) {
        return new LocalBlobStore("local", root.resolve("counted"), LocalBlobStoreConfig.defaults(),
                new LocalSidecars.Syncs() {
                    @Override
                    public void force(FileChannel file) throws IOException {
                        LocalSidecars.Syncs.DISK.force(file);
                    }

                    @Override
                    public void dir(Path dir) throws IOException {
                        dirs.add(dir);
                        LocalSidecars.Syncs.DISK.dir(dir);
                    }
                });
    }

    private static List<String> files(Path dir) throws IOException {
        try (var listed = java.nio.file.Files.list(dir)) {
            return listed.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void partsAreLinesOfOneLogAndASyncSyncsTheDirectoryOnlyWhenAFileWasCreatedInIt() throws Exception {
        List<Path> dirs = new CopyOnWriteArrayList<>();
        try (LocalBlobStore counted = counting(dirs)) {
            LocalPartUploads parts = new LocalPartUploads(counted, true);
            PartUploads.Upload upload = parts.begin(KEY, PutOptions.defaults());
            Path dir = counted.layout.root.resolve("uploads").resolve(upload.id());
            byte[][] bytes = {random(MIB, 11), random(MIB, 12), random(MIB, 13)};
            List<PartUploads.Part> put = new java.util.ArrayList<>();
            put.add(parts.putPartBuffered(upload, 1, BlobContent.of(bytes[0])));
            parts.sync(upload);
            // The first sync names data and the log in the directory.
            assertThat(dirs).containsExactly(dir);
            dirs.clear();
            put.add(parts.putPartBuffered(upload, 2, BlobContent.of(bytes[1])));
            parts.sync(upload);
            put.add(parts.putPartBuffered(upload, 3, BlobContent.of(bytes[2])));
            parts.sync(upload);
            // Later syncs force data and the log, both there already: no directory sync, no file per part.
            assertThat(dirs).isEmpty();
            assertThat(files(dir)).containsExactly("data", LocalPartUploads.LOG, "upload.json");
            assertThat(java.nio.file.Files.readAllLines(dir.resolve(LocalPartUploads.LOG))).hasSize(3);

            // A process that did not see the files created (a restart) syncs the directory with a part put durably.
            byte[] last = random(MIB, 19);
            put.add(new LocalPartUploads(counted, true).putPart(upload, 4, BlobContent.of(last)));
            assertThat(dirs).containsExactly(dir);

            parts.complete(upload, put, java.util.Optional.empty());
            try (BlobRead r = counted.get(KEY); InputStream in = r.stream()) {
                assertThat(in.readAllBytes()).isEqualTo(concat(concat(concat(bytes[0], bytes[1]), bytes[2]), last));
            }
        }
    }

    @Test
    void aRecordCutShortByACrashOfTheMachineIsCutOffTheLogBeforeTheNextOne() throws Exception {
        byte[] first = random(MIB, 14);
        byte[] second = random(MIB, 15);
        PartUploads.Upload upload = parts(ch -> () -> ch.force(false)).begin(KEY, PutOptions.defaults());
        Path dir = store.layout.root.resolve("uploads").resolve(upload.id());
        PartUploads.Part one = parts(ch -> () -> ch.force(false)).putPartBuffered(upload, 1, BlobContent.of(first));
        // Part 2's record was cut short by a crash of the machine: the process that goes on (a new one) puts it again.
        java.nio.file.Files.writeString(dir.resolve(LocalPartUploads.LOG), "2 data " + MIB,
                java.nio.file.StandardOpenOption.APPEND);

        LocalPartUploads restarted = parts(ch -> () -> ch.force(false));
        PartUploads.Part two = restarted.putPartBuffered(upload, 2, BlobContent.of(second));
        restarted.sync(upload);

        assertThat(java.nio.file.Files.readAllLines(dir.resolve(LocalPartUploads.LOG))).hasSize(2);
        parts(ch -> () -> ch.force(false)).complete(upload, List.of(one, two), java.util.Optional.empty());
        assertThat(read(KEY)).isEqualTo(concat(first, second));
    }

    @Test
    void anUploadWrittenWithAMarkerFilePerPartGoesOnAndCompletes() throws Exception {
        byte[] first = random(MIB, 16);
        byte[] second = random(MIB, 17);
        byte[] firstAgain = random(MIB, 18);
        LocalPartUploads before = parts(ch -> () -> ch.force(false));
        PartUploads.Upload upload = before.begin(KEY, PutOptions.defaults());
        Path dir = store.layout.root.resolve("uploads").resolve(upload.id());
        PartUploads.Part one = before.putPartBuffered(upload, 1, BlobContent.of(first));
        // As the code before the log left it: part 1 in data, its marker a file of its own, no log.
        java.nio.file.Files.delete(dir.resolve(LocalPartUploads.LOG));
        java.nio.file.Files.writeString(dir.resolve("1.part"), "data 0 " + MIB + " " + one.etag());

        LocalPartUploads after = parts(ch -> () -> ch.force(false));
        PartUploads.Part two = after.putPartBuffered(upload, 2, BlobContent.of(second));
        assertThat(dir.resolve("2.bin")).doesNotExist();
        after.complete(upload, List.of(one, two), java.util.Optional.empty());
        assertThat(read(KEY)).isEqualTo(concat(first, second));

        // A marker file's part put again: the log's record replaces it, also for a process that reads both.
        PartUploads.Upload next = before.begin(KEY, PutOptions.defaults());
        Path nextDir = store.layout.root.resolve("uploads").resolve(next.id());
        PartUploads.Part old = before.putPartBuffered(next, 1, BlobContent.of(first));
        java.nio.file.Files.delete(nextDir.resolve(LocalPartUploads.LOG));
        java.nio.file.Files.writeString(nextDir.resolve("1.part"), "data 0 " + MIB + " " + old.etag());
        PartUploads.Part again = parts(ch -> () -> ch.force(false)).putPartBuffered(next, 1,
                BlobContent.of(firstAgain));
        LocalPartUploads third = parts(ch -> () -> ch.force(false));
        assertThatThrownBy(() -> third.complete(next, List.of(old), java.util.Optional.empty()))
                .isInstanceOf(StorageException.class).hasMessageContaining("not the one stored");
        third.complete(next, List.of(again), java.util.Optional.empty());
        assertThat(read(KEY)).isEqualTo(firstAgain);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] whole = new byte[a.length + b.length];
        System.arraycopy(a, 0, whole, 0, a.length);
        System.arraycopy(b, 0, whole, a.length, b.length);
        return whole;
    }

    private static boolean awaited(CountDownLatch latch) {
        try {
            return latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
