package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ForwardingBlobStore;
import io.stowage.PartUploads;
import io.stowage.PutOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Resumable uploads on local disk acknowledge a chunk once its part is written and sync it just after (decision
 * 0075): a restart of the process loses nothing acknowledged, one of the machine sends the client back to the last
 * chunk known durable.
 */
abstract class BufferedPartsSpec extends ServiceTestBase {

    private static final int CHUNK = 100_000;

    /** Part uploads whose syncs wait while the gate is closed, counted. */
    private final Semaphore gate = new Semaphore(Integer.MAX_VALUE);
    private final AtomicInteger syncs = new AtomicInteger();

    private final class Gated implements PartUploads {
        private final PartUploads parts;

        Gated(PartUploads parts) {
            this.parts = parts;
        }

        @Override
        public long minPartSize() {
            return parts.minPartSize();
        }

        @Override
        public int maxParts() {
            return parts.maxParts();
        }

        @Override
        public Upload begin(BlobKey key, PutOptions options) {
            return parts.begin(key, options);
        }

        @Override
        public Part putPart(Upload upload, int number, BlobContent content) {
            return parts.putPart(upload, number, content);
        }

        @Override
        public Part putPartBuffered(Upload upload, int number, BlobContent content) {
            return parts.putPartBuffered(upload, number, content);
        }

        @Override
        public boolean buffersParts() {
            return parts.buffersParts();
        }

        @Override
        public void sync(Upload upload) {
            gate.acquireUninterruptibly();
            try {
                parts.sync(upload);
                syncs.incrementAndGet();
            } finally {
                gate.release();
            }
        }

        @Override
        public BlobInfo complete(Upload upload, List<Part> list, Optional<String> sha256) {
            return parts.complete(upload, list, sha256);
        }

        @Override
        public void abort(Upload upload) {
            parts.abort(upload);
        }
    }

    /** A SHA-256 that hashes nothing until {@code open} is counted down, and counts the bytes it hashed. */
    private static final class Held extends TestDigest {
        private final CountDownLatch open;
        private final AtomicLong hashed;

        Held(CountDownLatch open, AtomicLong hashed) {
            this.open = open;
            this.hashed = hashed;
        }

        @Override
        void fed(int len) {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            hashed.addAndGet(len);
        }
    }

    /** The service over the local store, its part uploads gated, on a machine of boot id {@code boot}. */
    private void reopen(String boot) {
        reopen(boot, java.time.Clock.systemUTC());
    }

    /** As {@link #reopen(String)}, on {@code clock}. */
    private void reopen(String boot, java.time.Clock clock) {
        if (service != null) {
            service.close();
        }
        BlobStore gated = new ForwardingBlobStore(store) {
            @Override
            public <T> Optional<T> feature(Class<T> type) {
                return type == PartUploads.class
                        ? store.feature(PartUploads.class).map(p -> type.cast(new Gated(p))) : store.feature(type);
            }
        };
        service = StorageService.open(settings(), gated, clock);
        service.resumable().boot(boot);
    }

    private void closeGate() {
        gate.acquireUninterruptibly(Integer.MAX_VALUE);
    }

    private void openGate() {
        gate.release(Integer.MAX_VALUE);
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    /** A session for {@code data} on a machine of boot id boot-1, its first {@code synced} chunks taken and synced. */
    private ResumableUpload started(String name, byte[] data, int synced) {
        reopen("boot-1");
        ResumableUpload s = service.resumable().create("alice", name, "application/octet-stream", data.length, null);
        for (int i = 0; i < synced; i++) {
            append(s, data, (long) i * CHUNK);
        }
        awaitSynced(s.id(), (long) synced * CHUNK);
        return s;
    }

    private ResumableUpload append(ResumableUpload s, byte[] data, long at) {
        return append(s, data, at, Optional.empty());
    }

    private ResumableUpload append(ResumableUpload s, byte[] data, long at, Optional<ResumableUploads.Checksum> sum) {
        int end = (int) Math.min(data.length, at + CHUNK);
        InputStream chunk = new ByteArrayInputStream(Arrays.copyOfRange(data, (int) at, end));
        return service.resumable().append("alice", s.id(), at, chunk, end - at, sum);
    }

    private static ResumableUploads.Checksum sha1Of(byte[] data, long at) throws Exception {
        byte[] chunk = Arrays.copyOfRange(data, (int) at, (int) Math.min(data.length, at + CHUNK));
        return new ResumableUploads.Checksum("sha1", MessageDigest.getInstance("SHA-1").digest(chunk));
    }

    /** The session's synced offset as its row says (-1: none), read on a connection of its own. */
    private long synced(String id) {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            return db.withHandle("test", h -> h.createQuery("SELECT COALESCE(synced_offset, -1) FROM upload_sessions"
                    + " WHERE id = :id").bind("id", id).mapTo(Long.class).one());
        }
    }

    private void awaitSynced(String id, long offset) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (synced(id) != offset) {
            assertThat(System.nanoTime()).as("synced up to " + offset + " within 30 s").isLessThan(end);
            Thread.onSpinWait();
        }
    }

    private void assertSaved(ResumableUpload done, byte[] data) throws Exception {
        assertThat(done.finished()).isTrue();
        FileRecord file = service.info("alice", done.fileId().orElseThrow());
        try (FileRead read = service.retrieve("alice", file.id()); InputStream in = read.stream()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(file.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
    }

    @Test
    void aChunkIsAcknowledgedBeforeItsPartIsSyncedAndSyncedJustAfter() throws Exception {
        reopen("boot-1");
        byte[] data = random(3 * CHUNK);
        ResumableUpload s = service.resumable().create("alice", "buffered.bin", "application/octet-stream",
                data.length, null);
        closeGate();
        assertThat(append(s, data, 0).offset()).isEqualTo(CHUNK);
        assertThat(syncs.get()).isZero();
        assertThat(synced(s.id())).isZero();

        openGate();
        awaitSynced(s.id(), CHUNK);
        assertThat(syncs.get()).isEqualTo(1);
        assertThat(append(s, data, CHUNK).offset()).isEqualTo(2 * CHUNK);
        assertSaved(append(s, data, 2 * CHUNK), data);
    }

    /**
     * Decision 0109: the last chunk waits for the disk twice, for the claim of the session's completion and for the
     * file's commit; the file's pending rows before that commit, and the removal of the session's part rows and first
     * bytes after it, commit without waiting (the file's commit carries the first, a finished session's expiry the
     * second). Before, four commits waited.
     */
    @Test
    void theLastChunkWaitsForTheDiskOnlyForTheClaimAndTheFilesCommit() throws Exception {
        reopen("boot-1");
        byte[] data = random(2 * CHUNK);
        ResumableUpload s = service.resumable().create("alice", "last.bin", "application/octet-stream", data.length,
                null);
        append(s, data, 0);
        awaitSynced(s.id(), CHUNK);
        long before = service.catalog().waitedCommits();

        ResumableUpload done = append(s, data, CHUNK);

        assertThat(service.catalog().waitedCommits() - before).isEqualTo(2);
        assertSaved(done, data);
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            long left = db.withHandle("test", h -> h.createQuery("SELECT (SELECT COUNT(*) FROM upload_session_parts"
                    + " WHERE upload_id = :id) + (SELECT COUNT(*) FROM upload_heads WHERE upload_id = :id)")
                    .bind("id", s.id()).mapTo(Long.class).one());
            assertThat(left).isZero();
        }
    }

    @Test
    void aChunksStatementsArePreparedOncePerConnectionAndAgainOnAConnectionThePoolReplaced() throws Exception {
        reopen("boot-1");
        int chunks = 27;
        byte[] data = random(chunks * CHUNK);
        ResumableUpload s = service.resumable().create("alice", "prepared.bin", "application/octet-stream",
                data.length, null);
        CatalogDatabase catalog = service.catalog();
        for (int i = 0; i < 25; i++) {
            assertThat(append(s, data, (long) i * CHUNK).offset()).isEqualTo((long) (i + 1) * CHUNK);
        }
        // 25 holds, each statement prepared at most once per connection of the writers' pool (1 on SQLite, 10 on
        // PostgreSQL): prepared anew per chunk (decision 0100), it would be 25.
        int prepared = catalog.prepares(ResumableParts.HOLD);
        assertThat(prepared).isBetween(1, catalog.writers());
        assertThat(catalog.prepares(ResumableParts.PART_ROW)).isBetween(1, catalog.writers());

        // A connection the pool closed takes its statements with it: the next chunk prepares them on the new one.
        catalog.renewConnections();
        assertThat(append(s, data, 25L * CHUNK).offset()).isEqualTo(26L * CHUNK);
        assertThat(catalog.prepares(ResumableParts.HOLD)).isGreaterThan(prepared);
        assertSaved(append(s, data, 26L * CHUNK), data);
    }

    @Test
    @Timeout(120)
    void aSyncThatEndsWhileTheNextChunkArrivesLeavesItsCommitToThatChunksRecord() throws Exception {
        byte[] data = random(3 * CHUNK);
        ResumableUpload s = firstChunkUnsynced("carried.bin", data);
        try (Stalling slow = new Stalling(Arrays.copyOfRange(data, CHUNK, 2 * CHUNK), CHUNK / 2)) {
            var sending = secondStalledWhileTheFirstSyncs(s, slow, slow);
            closeGate(); // the second chunk's own sync waits
            slow.release();
            assertThat(sending.get(60, TimeUnit.SECONDS).offset()).isEqualTo(2 * CHUNK);
        }
        // Carried by the record itself, so there as soon as the chunk is answered.
        assertThat(synced(s.id())).isEqualTo(CHUNK);
        // The second chunk's own sync ends with no chunk under way: it commits by itself.
        openGate();
        awaitSynced(s.id(), 2 * CHUNK);
        assertSaved(append(s, data, 2 * CHUNK), data);
    }

    @Test
    @Timeout(120)
    void aSyncedOffsetLeftToAChunkThatIsCutOffIsCommittedWhenTheChunkEnds() throws Exception {
        byte[] data = random(3 * CHUNK);
        ResumableUpload s = firstChunkUnsynced("cut.bin", data);
        java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
        try (Stalling slow = new Stalling(Arrays.copyOfRange(data, CHUNK, 2 * CHUNK), CHUNK / 2)) {
            // The client's connection breaks once the chunk goes on.
            InputStream breaking = new java.io.FilterInputStream(slow) {
                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    int n = super.read(b, off, len);
                    if (n > 0 && cut.get()) {
                        throw new java.io.IOException("the connection was cut");
                    }
                    return n;
                }
            };
            var sending = secondStalledWhileTheFirstSyncs(s, breaking, slow);
            cut.set(true);
            slow.release();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> sending.get(60, TimeUnit.SECONDS)))
                    .isInstanceOf(java.util.concurrent.ExecutionException.class);
        }
        // Nothing carried it: the chunk's end committed it, at once.
        assertThat(synced(s.id())).isEqualTo(CHUNK);
        assertThat(service.resumable().get("alice", s.id()).offset()).isEqualTo(CHUNK);
        append(s, data, CHUNK);
        assertSaved(append(s, data, 2 * CHUNK), data);
    }

    @Test
    void aChunkMovesTheExpiryOnlyByTheStepOrMoreAndEachAnswerNamesTheExpiryTheRowHas() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2030-03-01T10:00:00Z"));
        reopen("boot-1", clock);
        byte[] data = random(3 * CHUNK);
        ResumableUpload s = service.resumable().create("alice", "expiring.bin", "application/octet-stream",
                data.length, null);
        java.time.Duration step = ResumableParts.expiryStep(ResumableUploads.DEFAULT_TTL);
        assertThat(step).isEqualTo(java.time.Duration.ofMinutes(1));

        clock.advance(step.minusMillis(1));
        ResumableUpload first = append(s, data, 0);
        assertThat(first.expiresAt()).isEqualTo(s.expiresAt());
        assertThat(expiresAt(s.id())).isEqualTo(s.expiresAt());
        assertThat(service.resumable().get("alice", s.id()).expiresAt()).isEqualTo(s.expiresAt());

        clock.advance(java.time.Duration.ofMillis(1));
        ResumableUpload second = append(s, data, CHUNK);
        assertThat(second.expiresAt()).isEqualTo(clock.instant().plus(ResumableUploads.DEFAULT_TTL));
        assertThat(expiresAt(s.id())).isEqualTo(second.expiresAt());
        assertSaved(append(s, data, 2 * CHUNK), data);
    }

    /** A session for {@code data}, its first chunk acknowledged and its sync held at the gate. */
    private ResumableUpload firstChunkUnsynced(String name, byte[] data) {
        reopen("boot-1");
        ResumableUpload s = service.resumable().create("alice", name, "application/octet-stream", data.length, null);
        closeGate();
        append(s, data, 0);
        return s;
    }

    /**
     * Sends the second chunk from {@code body}, which stops half way ({@code slow}); meanwhile the first one's sync
     * ends. It makes no commit of its own (decision 0092): the synced offset stays where it was.
     */
    private java.util.concurrent.CompletableFuture<ResumableUpload> secondStalledWhileTheFirstSyncs(
            ResumableUpload s, InputStream body, Stalling slow) throws Exception {
        var sending = java.util.concurrent.CompletableFuture.supplyAsync(() -> service.resumable().append("alice",
                s.id(), CHUNK, body, CHUNK, Optional.empty()));
        slow.awaitStalled();
        openGate();
        awaitSyncEnded(s.id());
        assertThat(syncs.get()).isEqualTo(1);
        assertThat(synced(s.id())).isZero();
        return sending;
    }

    /** The session's expiry as its row says. */
    private Instant expiresAt(String id) {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            return Instant.ofEpochMilli(db.withHandle("test", h -> h.createQuery("SELECT expires_at"
                    + " FROM upload_sessions WHERE id = :id").bind("id", id).mapTo(Long.class).one()));
        }
    }

    /** Waits until no sync of session {@code id} is under way. */
    private void awaitSyncEnded(String id) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (service.resumable().syncing(id)) {
            assertThat(System.nanoTime()).as("the sync ended within 30 s").isLessThan(end);
            Thread.onSpinWait();
        }
    }

    @Test
    void aRestartOfTheProcessKeepsEveryAcknowledgedChunk() throws Exception {
        byte[] data = random(3 * CHUNK);
        ResumableUpload s = started("process.bin", data, 1);
        closeGate();
        append(s, data, CHUNK);

        reopen("boot-1");
        assertThat(service.resumable().get("alice", s.id()).offset()).isEqualTo(2 * CHUNK);
        openGate();
        assertSaved(append(s, data, 2 * CHUNK), data);
    }

    @Test
    void aRestartOfTheMachineSendsTheClientBackToTheLastChunkKnownDurable() throws Exception {
        byte[] data = random(4 * CHUNK);
        ResumableUpload s = thirdChunkUnsyncedWhenTheMachineRestarts("machine.bin", data);
        assertThat(service.resumable().get("alice", s.id()).offset()).isEqualTo(2 * CHUNK);
        sendTheRestFromTheThirdChunk(s, data);
    }

    @Test
    void aChunkSentAtAnOffsetTheRestartedMachineMayHaveLostIsRefusedAndTheSessionTakenBack() throws Exception {
        byte[] data = random(4 * CHUNK);
        ResumableUpload s = thirdChunkUnsyncedWhenTheMachineRestarts("resent.bin", data);
        // The client goes on at the offset it was told, without a HEAD first: the third chunk's bytes may be gone, so
        // the fourth is refused (the hold that reads the session in the same statement must not take it) and the
        // session goes back to what is durable.
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.stowage.StorageException.class,
                () -> append(s, data, 3 * CHUNK)).operation()).hasValue(ResumableUploads.OFFSET_MISMATCH);
        assertThat(service.resumable().get("alice", s.id()).offset()).isEqualTo(2 * CHUNK);
        sendTheRestFromTheThirdChunk(s, data);
    }

    /** Two chunks of {@code data} synced, the third acknowledged but not synced, then a restart of the machine. */
    private ResumableUpload thirdChunkUnsyncedWhenTheMachineRestarts(String name, byte[] data) {
        ResumableUpload s = started(name, data, 2);
        closeGate();
        assertThat(append(s, data, 2 * CHUNK).offset()).isEqualTo(3 * CHUNK);
        reopen("boot-2");
        return s;
    }

    /** The client sends the third chunk again (its part is put again under its number) and the last one. */
    private void sendTheRestFromTheThirdChunk(ResumableUpload s, byte[] data) throws Exception {
        openGate();
        assertThat(append(s, data, 2 * CHUNK).offset()).isEqualTo(3 * CHUNK);
        assertSaved(append(s, data, 3 * CHUNK), data);
    }

    @Test
    @Timeout(120)
    void aSecondChunkAtTheOffsetWhileTheFirstIsStillArrivingIsAConflictAndTheFirstIsTaken() throws Exception {
        reopen("boot-1");
        byte[] data = random(2 * CHUNK);
        ResumableUpload s = service.resumable().create("alice", "twice.bin", "application/octet-stream",
                data.length, null);
        // The first request's body stops half way until let on: it holds the session meanwhile.
        byte[] first = Arrays.copyOf(data, CHUNK);
        try (Stalling slow = new Stalling(first, CHUNK / 2)) {
            java.util.concurrent.CompletableFuture<ResumableUpload> sending = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> service.resumable().append("alice", s.id(), 0, slow, CHUNK, Optional.empty()));
            slow.awaitStalled();
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.stowage.StorageException.class,
                    () -> append(s, data, 0)).operation()).hasValue(ResumableUploads.OFFSET_MISMATCH);
            slow.release();
            assertThat(sending.get(60, TimeUnit.SECONDS).offset()).isEqualTo(CHUNK);
        }
        assertSaved(append(s, data, CHUNK), data);
    }

    @Test
    @Timeout(120)
    void chunksAreAnsweredWhileTheUploadsSha256IsStillBeingComputedAndTheFileHasTheRightOne() throws Exception {
        reopen("boot-1");
        CountDownLatch open = new CountDownLatch(1);
        AtomicLong hashed = new AtomicLong();
        service.resumable().digestsFrom(() -> new Held(open, hashed));
        byte[] data = random(3 * CHUNK + 5);
        ResumableUpload s = service.resumable().create("alice", "lagging.bin", "application/octet-stream",
                data.length, null);
        try {
            assertThat(append(s, data, 0).offset()).isEqualTo(CHUNK);
            assertThat(append(s, data, CHUNK).offset()).isEqualTo(2 * CHUNK);
            // A chunk's own checksum is checked without waiting for the upload's SHA-256: a wrong one drops the
            // chunk, a right one takes it.
            ResumableUploads.Checksum wrong = sha1Of(data, 0);
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.stowage.StorageException.class,
                    () -> append(s, data, 2 * CHUNK, Optional.of(wrong))).operation())
                    .hasValue(ResumableUploads.CHECKSUM_MISMATCH);
            assertThat(service.resumable().get("alice", s.id()).offset()).isEqualTo(2 * CHUNK);
            assertThat(append(s, data, 2 * CHUNK, Optional.of(sha1Of(data, 2 * CHUNK))).offset()).isEqualTo(3 * CHUNK);
            assertThat(hashed.get()).isZero();
        } finally {
            open.countDown();
        }
        // The last chunk's completion waits for the digest of every byte, which this node computed (the dropped
        // chunk's bytes are not in it).
        assertSaved(append(s, data, 3 * CHUNK), data);
        assertThat(hashed.get()).isGreaterThanOrEqualTo(data.length);
    }

    @Test
    @Timeout(120)
    void aRestartWhileAChunksDigestIsStillBeingComputedLosesNothing() throws Exception {
        reopen("boot-1");
        CountDownLatch open = new CountDownLatch(1);
        service.resumable().digestsFrom(() -> new Held(open, new AtomicLong()));
        byte[] data = random(3 * CHUNK + 7);
        ResumableUpload s = service.resumable().create("alice", "restarted.bin", "application/octet-stream",
                data.length, null);
        try {
            assertThat(append(s, data, 0).offset()).isEqualTo(CHUNK);
            // The process restarts before the first chunk is hashed: the new one has no digest of the session and
            // reads the object back at its completion.
            reopen("boot-1");
            assertThat(append(s, data, CHUNK).offset()).isEqualTo(2 * CHUNK);
            assertThat(append(s, data, 2 * CHUNK).offset()).isEqualTo(3 * CHUNK);
            assertSaved(append(s, data, 3 * CHUNK), data);
        } finally {
            open.countDown();
        }
    }

    @Test
    void aSessionTakenBackIntoItsFirstBytesAfterTheyWereCompleteStillDetectsItsType() throws Exception {
        // A PNG in chunks of 40,000 bytes: the first bytes kept for type detection (64 KiB) are complete after the
        // second chunk, so chunks read the session without them from there on.
        int chunk = 40_000;
        byte[] data = random(5 * chunk);
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        System.arraycopy(signature, 0, data, 0, signature.length);
        reopen("boot-1");
        ResumableUpload s = service.resumable().create("alice", "picture", null, data.length, null);
        appendRange(s, data, 0, chunk);
        awaitSynced(s.id(), chunk);
        closeGate();
        appendRange(s, data, chunk, 2 * chunk);
        appendRange(s, data, 2 * chunk, 3 * chunk);

        // The machine restarts: the session goes back to its first chunk, and its first bytes with it.
        reopen("boot-2");
        assertThat(service.resumable().get("alice", s.id()).offset()).isEqualTo(chunk);
        openGate();
        for (int at = chunk; at < data.length; at += chunk) {
            appendRange(s, data, at, at + chunk);
        }
        ResumableUpload done = service.resumable().get("alice", s.id());
        assertSaved(done, data);
        assertThat(service.info("alice", done.fileId().orElseThrow()).contentType()).isEqualTo("image/png");
    }

    @Test
    void theFirstBytesKeptForTypeDetectionLieInARowOfTheirOwnWhichTheChunksUpdatesLeaveAlone() throws Exception {
        // In the session's row, SQLite wrote the 64 KiB again (its overflow pages) with every update of the row: the
        // hold, the record and the sync of every chunk (decision 0089).
        byte[] data = random(4 * CHUNK);
        ResumableUpload s = started("heads.bin", data, 2);
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            byte[] head = db.withHandle("test", h -> h.createQuery("SELECT head FROM upload_heads WHERE upload_id = :id")
                    .bind("id", s.id()).mapTo(byte[].class).one());
            int lean = db.withHandle("test", h -> h.createQuery("SELECT COUNT(*) FROM upload_sessions WHERE id = :id"
                    + " AND head IS NULL").bind("id", s.id()).mapTo(Integer.class).one());
            assertThat(head).isEqualTo(Arrays.copyOf(data, ContentTypes.PEEK));
            assertThat(lean).isEqualTo(1);
        }
        append(s, data, 2 * CHUNK);
        assertSaved(append(s, data, 3 * CHUNK), data);
        // Made into a file, the session needs them no more.
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            int heads = db.withHandle("test", h -> h.createQuery("SELECT COUNT(*) FROM upload_heads WHERE upload_id = :id")
                    .bind("id", s.id()).mapTo(Integer.class).one());
            assertThat(heads).isZero();
        }
    }

    private ResumableUpload appendRange(ResumableUpload s, byte[] data, int from, int to) {
        return service.resumable().append("alice", s.id(), from, new ByteArrayInputStream(Arrays.copyOfRange(data,
                from, to)), to - from, Optional.empty());
    }
}
