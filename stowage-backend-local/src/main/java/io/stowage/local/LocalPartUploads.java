package io.stowage.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.PartUploads;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.io.LendingStream;
import io.stowage.spi.io.MeasuringInputStream;
import io.stowage.spi.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Part uploads on local disk (decision 0058). An upload is a directory {@code uploads/<id>/} beside the
 * store's other areas, outside the namespace and outside {@code tmp/} (so it survives restarts): the key and
 * the object's type and metadata in {@code upload.json}, and one staging file {@code data} that parts put in
 * order are written into at their offset. A part put out of order (or while another is being written into
 * {@code data}) goes to a file of its own. An append-only log, {@code parts.log}, records where each part is, its
 * size and a token that is the part's etag, one line a part (decision 0103; directories written before it hold a
 * marker file per part, {@code <n>.part}, which are read as the log's first lines). Completing parts that lie in
 * {@code data} one after another from its start truncates it to their end and renames it into place: the bytes
 * are not copied again. Otherwise the parts are copied into a new file first. The commit itself is a put's
 * ({@link LocalWriter#commit}).
 *
 * <p>With fsync on, {@link #putPart} returns once the part is on disk (forced while it arrives, decision 0075), and
 * {@link #putPartBuffered} once it is written: {@link #sync} then forces what buffered parts wrote.
 */
final class LocalPartUploads implements PartUploads {

    static final int MAX_PARTS = 10_000;
    /** Built on first use: a store opened only to read or to put whole objects never needs it (decision 0110). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    /** Small enough to stay out of the humongous allocations of a small heap's G1 regions (half a region at most). */
    private static final int COPY_BUFFER = 256 << 10;
    /** How often a part's bytes are forced while it arrives, so the force that ends it has little left. */
    static final long FORCE_EVERY = 2L << 20;

    private final LocalBlobStore store;
    private final String name;
    private final Path area;
    private final boolean fsync;
    private final java.util.function.Function<FileChannel, BackgroundForce.Forcer> forcer;
    /** One monitor per upload of this process, and whether {@code data} is being written. */
    private final Map<String, State> states = new ConcurrentHashMap<>();
    /** The part log of an upload's directory (decision 0103). */
    static final String LOG = "parts.log";

    private static final class State {
        boolean writing;
        /** Files of buffered parts written since the last sync; {@code fresh}: this process did not see every write. */
        final java.util.Set<String> unsynced = new java.util.HashSet<>();
        boolean fresh = true;
        /** Whether a file of the upload was created since the directory was last synced. */
        boolean created;
        /** The key this process found in {@code upload.json}: it never changes, so a part need not read it again. */
        volatile BlobKey key;
        /** Each part's place as the log (after the markers of a directory from before it) says; null until read. */
        Map<Integer, Marker> parts;
        /** How many bytes of the log are read: whole lines only. */
        long logRead;
    }

    /** Where a stored part is: {@code data} from {@code offset}, or its own file when {@code offset} is -1. */
    private record Marker(long offset, long size, String token) {
        boolean inData() {
            return offset >= 0;
        }

        String text() {
            return (inData() ? "data " + offset : "file -1") + " " + size + " " + token;
        }

        static Marker parse(String text) {
            String[] f = text.trim().split(" ");
            if (f.length != 4 || !f[0].equals("data") && !f[0].equals("file") || f[3].isEmpty()) {
                throw new IllegalArgumentException("not a part's marker");
            }
            return new Marker(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]);
        }
    }

    LocalPartUploads(LocalBlobStore store, boolean fsync) {
        this(store, fsync, ch -> () -> ch.force(false));
    }

    /** With {@code forcer} making a part's written bytes durable (tests count and hold its calls). */
    LocalPartUploads(LocalBlobStore store, boolean fsync,
                     java.util.function.Function<FileChannel, BackgroundForce.Forcer> forcer) {
        this.store = store;
        this.name = store.name();
        this.area = store.layout.root.resolve("uploads");
        this.fsync = fsync;
        this.forcer = forcer;
    }

    @Override
    public long minPartSize() {
        return 1;
    }

    @Override
    public int maxParts() {
        return MAX_PARTS;
    }

    @Override
    public Upload begin(BlobKey key, PutOptions options) {
        PartUploads.checkOptions(name, options);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String id = new UUID(random.nextLong(), random.nextLong()).toString().replace("-", "");
        try {
            Path dir = area.resolve(id);
            Files.createDirectories(dir);
            ObjectNode n = Json.MAPPER.createObjectNode().put("key", key.value()).put("contentType", options.contentType());
            ObjectNode meta = n.putObject("metadata");
            options.metadata().forEach(meta::put);
            write(dir.resolve("upload.json"), Json.MAPPER.writeValueAsBytes(n));
            // Nothing to read back: no part yet, no log.
            State state = states.computeIfAbsent(id, k -> new State());
            synchronized (state) {
                state.parts = new HashMap<>();
                state.key = key;
            }
            return new Upload(key, id);
        } catch (IOException e) {
            throw store.failure("begin upload", key, e);
        }
    }

    @Override
    public Part putPart(Upload upload, int number, BlobContent content) {
        return put(upload, number, content, true);
    }

    /** Without forcing the part: {@link #sync} does, for every part put so far (decision 0075). */
    @Override
    public Part putPartBuffered(Upload upload, int number, BlobContent content) {
        return put(upload, number, content, !fsync);
    }

    @Override
    public boolean buffersParts() {
        return fsync;
    }

    private Part put(Upload upload, int number, BlobContent content, boolean durable) {
        PartUploads.checkNumber(number, MAX_PARTS);
        Path dir = existing(upload, true);
        State state = states.computeIfAbsent(upload.id(), k -> new State());
        String token = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        long offset = -1;
        try {
            synchronized (state) {
                read(dir, state);
                offset = state.writing ? -1 : dataOffset(dir, state, number);
                if (offset >= 0) {
                    state.writing = true;
                }
                // A part put again: its old bytes go, so its old record goes first.
                if (state.parts.containsKey(number)) {
                    append(dir, state, number, null, false);
                }
            }
            long size = offset >= 0 ? intoData(dir, offset, upload.key(), content, durable)
                    : intoFile(dir.resolve(number + ".bin"), upload.key(), content, durable);
            synchronized (state) {
                if (offset < 0) {
                    state.created = true; // the part's own file
                }
                // Recorded after the part's bytes; none is read before the part is recorded in the catalog, which
                // happens after this returns (decision 0083).
                append(dir, state, number, new Marker(offset, size, token), durable && fsync);
                if (!durable) {
                    state.unsynced.addAll(List.of(offset >= 0 ? "data" : number + ".bin", LOG));
                }
            }
            return new Part(number, size, token);
        } catch (NoSuchFileException e) {
            throw notFound(upload);
        } catch (IOException e) {
            throw store.failure("put part", upload.key(), e);
        } finally {
            if (offset >= 0) {
                synchronized (state) {
                    state.writing = false;
                }
            }
        }
    }

    /**
     * Appends part {@code number}'s record to the log ({@code marker} null: the part is gone, put again), one line
     * (decision 0103). A part put durably has the log forced, and the directory synced when a file of the upload was
     * created since it last was, before it returns (decision 0089): its caller may record the part at once, and a
     * later durable commit of the catalog then names a part whose record, and whose file's name, must survive a crash
     * of the machine as its bytes do, or the completion would refuse the upload. A buffered part's record is forced by
     * the {@link #sync} that moves the synced offset past it.
     *
     * <p>Lines another process appended are read first. A last line cut short (a crash of the machine after its write
     * and before its sync) is cut off the log before the record is written, so the record is a line of its own.
     */
    private void append(Path dir, State state, int number, Marker marker, boolean force) throws IOException {
        // Created only in the upload's directory: gone (aborted meanwhile), the open fails with NoSuchFileException.
        try (FileChannel ch = FileChannel.open(dir.resolve(LOG), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            if (size == 0 && state.logRead == 0) {
                state.created = true;
            }
            if (size != state.logRead) {
                readFrom(ch, state);
                if (ch.size() > state.logRead) {
                    ch.truncate(state.logRead);
                }
            }
            ByteBuffer line = ByteBuffer.wrap((number + " " + (marker == null ? "gone" : marker.text()) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long at = state.logRead;
            while (line.hasRemaining()) {
                at += ch.write(line, at);
            }
            state.logRead = at;
            apply(state, number, marker);
            if (force) {
                forcer.apply(ch).force();
            }
        }
        // A process that did not see every file created (it started since) syncs the directory too.
        if (force && (state.created || state.fresh)) {
            store.sidecars.syncDir(dir);
            state.created = false;
        }
    }

    private static void apply(State state, int number, Marker marker) {
        if (marker == null) {
            state.parts.remove(number);
        } else {
            state.parts.put(number, marker);
        }
    }

    /**
     * Brings {@code state}'s parts up to the log: read whole the first time this process meets the upload (after the
     * markers of a directory written before the log, decision 0103), then only what was appended since (by another
     * process). The log's size is looked at first: unchanged, it is not opened.
     */
    private void read(Path dir, State state) throws IOException {
        if (state.parts == null) {
            state.parts = new HashMap<>();
            state.logRead = 0;
            try (var listed = Files.list(dir)) {
                for (Path p : listed.toList()) {
                    String f = p.getFileName().toString();
                    Marker m = f.matches("[0-9]{1,5}\\.part") ? legacyMarker(p) : null;
                    if (m != null) {
                        state.parts.put(Integer.parseInt(f.substring(0, f.length() - ".part".length())), m);
                    }
                }
            }
        } else {
            long size;
            try {
                size = Files.size(dir.resolve(LOG));
            } catch (NoSuchFileException e) {
                existingDir(dir);
                size = 0;
            }
            if (size == state.logRead) {
                return;
            }
        }
        try (FileChannel ch = FileChannel.open(dir.resolve(LOG), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            readFrom(ch, state);
        } catch (NoSuchFileException e) {
            existingDir(dir);
        }
    }

    /**
     * Reads the log's whole lines from where {@code state} left off (all of it again when the log is now shorter, cut
     * by another process). A line that is no record (cut short by a crash of the machine) is skipped: its part is as
     * if never put, and is put again.
     */
    private static void readFrom(FileChannel ch, State state) throws IOException {
        long size = ch.size();
        if (size < state.logRead) {
            state.parts.clear();
            state.logRead = 0;
        }
        ByteBuffer bb = ByteBuffer.allocate((int) (size - state.logRead));
        for (long at = state.logRead; bb.hasRemaining(); ) {
            int n = ch.read(bb, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        String text = new String(bb.array(), 0, bb.position(), StandardCharsets.US_ASCII);
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
            String line = text.substring(start, end);
            int space = line.indexOf(' ');
            try {
                String rest = line.substring(space + 1);
                Marker marker = rest.equals("gone") ? null : Marker.parse(rest);
                apply(state, Integer.parseInt(line.substring(0, space)), marker);
            } catch (RuntimeException e) {
                // no record: cut short by a crash of the machine
            }
        }
        state.logRead += start;
    }

    /**
     * Where part {@code number} goes in {@code data}: at its end when part {@code number - 1} ends it (the first part:
     * when it is empty), where it was when it ends {@code data} itself; -1 for a file of its own otherwise. So a write
     * into {@code data} only ever replaces the bytes of the part it puts again, whose record went first, and every
     * record that says {@code data} names bytes that are there. The part that ends {@code data} is told by the records
     * and the file's size; no file of its own repeats it (decision 0083).
     */
    private long dataOffset(Path dir, State state, int number) throws IOException {
        long end;
        try {
            end = Files.size(dir.resolve("data"));
        } catch (NoSuchFileException e) {
            existingDir(dir);
            end = 0;
            state.created = true; // written into from its start, it is created
        }
        if (number == 1 ? end == 0 : endsAt(state.parts.get(number - 1), end)) {
            return end;
        }
        Marker self = state.parts.get(number);
        return endsAt(self, end) ? self.offset() : -1;
    }

    private static boolean endsAt(Marker m, long end) {
        return m != null && m.inData() && m.offset() + m.size() == end;
    }

    private long intoData(Path dir, long offset, BlobKey key, BlobContent content, boolean durable)
            throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve("data"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            ch.truncate(offset);
            ch.position(offset);
            try {
                return copy(content, key, ch, durable);
            } catch (IOException | RuntimeException e) {
                ch.truncate(offset);
                throw e;
            }
        }
    }

    private long intoFile(Path file, BlobKey key, BlobContent content, boolean durable) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + "." + Long.toHexString(System.nanoTime()));
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            long size = copy(content, key, ch, durable);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return size;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Writes the part's bytes to {@code out} and, when {@code durable} (with fsync on), returns once they are on disk:
     * forced every {@link #FORCE_EVERY} bytes on another thread while they arrive, and once more after the last
     * (decision 0075).
     */
    private long copy(BlobContent content, BlobKey key, FileChannel out, boolean durable) throws IOException {
        try (InputStream raw = content.open();
                MeasuringInputStream in = MeasuringInputStream.withoutDigest(raw, content.length(), Long.MAX_VALUE,
                        name, key);
                BackgroundForce flush = fsync && durable ? new BackgroundForce(forcer.apply(out), FORCE_EVERY)
                        : null) {
            if (raw instanceof LendingStream lending) {
                return copyLent(lending, content.length().orElse(-1), key, out, flush);
            }
            byte[] buf = new byte[(int) Math.max(8192, Math.min(COPY_BUFFER, content.length().orElse(COPY_BUFFER) + 1))];
            long total = 0;
            int n;
            // Filled before each write: a request body arrives 8 KiB a read, and a write per read cost a tus chunk of
            // 8 MiB a thousand syscalls (a part went to disk at two thirds of a plain upload's speed).
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                LocalWriter.writeAll(out, ByteBuffer.wrap(buf, 0, n));
                total += n;
                if (flush != null) {
                    flush.written(total);
                }
            }
            if (flush != null) {
                flush.finish();
            }
            return total;
        }
    }

    /**
     * As {@link #copy}, from the buffers the content's stream lends (a tus chunk's, which its digests read at the same
     * time): the bytes are written from where they were read, without a copy into a buffer of this writer's (decision
     * 0089). The declared length is held to as {@link MeasuringInputStream} does.
     */
    private long copyLent(LendingStream lending, long declared, BlobKey key, FileChannel out, BackgroundForce flush)
            throws IOException {
        long total = 0;
        for (ByteBuffer bb = lending.lend(); bb.hasRemaining(); bb = lending.lend()) {
            total += bb.remaining();
            if (declared >= 0 && total > declared) {
                throw StorageException.integrity(name, key, "content is longer than the declared " + declared
                        + " bytes");
            }
            LocalWriter.writeAll(out, bb);
            if (flush != null) {
                flush.written(total);
            }
        }
        if (declared >= 0 && total != declared) {
            throw StorageException.integrity(name, key, "content ended after " + total + " bytes but declared "
                    + declared);
        }
        if (flush != null) {
            flush.finish();
        }
        return total;
    }

    /**
     * Forces what buffered parts wrote since the last sync (every file of the upload when this process did not see
     * all of them written: it started since, or another node wrote them), then the upload's directory when a file was
     * created in it since, so the parts and their records survive a crash of the machine. A steady upload writes into
     * {@code data} and appends to the log, both there already: two files forced, no directory (decision 0103).
     */
    @Override
    public void sync(Upload upload) {
        if (!fsync) {
            return;
        }
        Path dir = existing(upload);
        State state = states.computeIfAbsent(upload.id(), k -> new State());
        List<String> files;
        boolean created;
        synchronized (state) {
            created = state.created || state.fresh;
            if (state.fresh) {
                try (var listed = Files.list(dir)) {
                    files = listed.map(p -> p.getFileName().toString()).filter(f -> !f.contains(".tmp")).toList();
                } catch (NoSuchFileException e) {
                    throw notFound(upload);
                } catch (IOException e) {
                    throw store.failure("sync upload", upload.key(), e);
                }
            } else {
                files = List.copyOf(state.unsynced);
            }
            state.unsynced.clear();
            state.fresh = false;
            state.created = false;
        }
        try {
            for (String f : files) {
                try (FileChannel ch = FileChannel.open(dir.resolve(f), StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    ch.force(false);
                } catch (NoSuchFileException e) {
                    // put again (a part's own file) or completed meanwhile: what replaced it is in a later sync
                }
            }
            if (created) {
                store.sidecars.syncDir(dir);
            }
        } catch (IOException e) {
            synchronized (state) {
                state.unsynced.addAll(files);
                state.created |= created;
            }
            throw store.failure("sync upload", upload.key(), e);
        }
    }

    @Override
    public BlobInfo complete(Upload upload, List<Part> parts, Optional<String> sha256) {
        PartUploads.checkParts(parts, minPartSize(), MAX_PARTS);
        Path dir = existing(upload);
        State state = states.computeIfAbsent(upload.id(), k -> new State());
        try {
            JsonNode info = Json.MAPPER.readTree(Files.readAllBytes(dir.resolve("upload.json")));
            Path content;
            long size;
            synchronized (state) {
                if (state.writing) {
                    throw StorageException.preconditionFailed(name, upload.key(), "a part is still being written");
                }
                read(dir, state);
                List<Marker> listed = new ArrayList<>();
                for (Part p : parts) {
                    Marker m = state.parts.get(p.number());
                    if (m == null || !m.token().equals(p.etag()) || m.size() != p.size()) {
                        throw StorageException.invalidArgument("part " + p.number() + " of the upload of '" + upload.key()
                                + "' is not the one stored");
                    }
                    listed.add(m);
                }
                size = listed.stream().mapToLong(Marker::size).sum();
                content = inPlace(listed) ? truncated(dir, size) : assembled(dir, parts, listed);
            }
            String sha = sha256.isPresent() ? sha256.get() : digest(content);
            Instant now = Instant.now();
            Map<String, String> metadata = new HashMap<>();
            info.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
            Sidecar next = new Sidecar(upload.key(), size, sha, info.path("contentType").asText(), metadata, now, now,
                    VersionIds.next(), null);
            BlobInfo stored;
            // Forced once, by the commit, after it is renamed into place: that sync commits the rename and the size
            // with the bytes, as a put's does (decision 0087), where forcing it before the rename cost a journal
            // commit more (decision 0109).
            try (FileChannel unsynced = fsync ? FileChannel.open(content, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS) : null) {
                stored = store.writer.commit(upload.key(), next, false,
                        dataFile -> store.sidecars.move(content, dataFile), unsynced).toInfo(name);
            }
            removeQuietly(upload);
            return stored;
        } catch (NoSuchFileException e) {
            throw notFound(upload);
        } catch (IOException e) {
            throw store.failure("complete upload", upload.key(), e);
        }
    }

    /** Whether the parts lie in {@code data} one after another from its start. */
    private static boolean inPlace(List<Marker> listed) {
        long at = 0;
        for (Marker m : listed) {
            if (!m.inData() || m.offset() != at) {
                return false;
            }
            at += m.size();
        }
        return true;
    }

    /** {@code data} cut to the listed parts; not forced here: the commit forces it once it is in place. */
    private Path truncated(Path dir, long size) throws IOException {
        Path data = dir.resolve("data");
        if (!Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
            Files.createFile(data);
        }
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ch.truncate(size);
        }
        return data;
    }

    /**
     * The parts copied into one new file, for parts put out of order or not all in {@code data}; forced, as {@link
     * #truncated}'s, by the commit.
     */
    private Path assembled(Path dir, List<Part> parts, List<Marker> listed) throws IOException {
        Path out = dir.resolve("assembled");
        try (FileChannel to = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            for (int i = 0; i < parts.size(); i++) {
                Marker m = listed.get(i);
                Path source = m.inData() ? dir.resolve("data") : dir.resolve(parts.get(i).number() + ".bin");
                try (FileChannel from = FileChannel.open(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                    long start = m.inData() ? m.offset() : 0;
                    long done = 0;
                    while (done < m.size()) {
                        done += from.transferTo(start + done, m.size() - done, to);
                    }
                }
            }
        }
        return out;
    }

    private static String digest(Path file) throws IOException {
        MessageDigest d = Sha256.newDigest();
        byte[] buf = new byte[COPY_BUFFER];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                d.update(buf, 0, n);
            }
        }
        return Sha256.hex(d.digest());
    }

    @Override
    public void abort(Upload upload) {
        if (!ID.matcher(upload.id()).matches()) {
            return;
        }
        try {
            removeAll(area.resolve(upload.id()));
            states.remove(upload.id());
        } catch (IOException e) {
            throw store.failure("abort upload", upload.key(), e);
        }
    }

    private void removeQuietly(Upload upload) {
        try {
            removeAll(area.resolve(upload.id()));
        } catch (IOException e) {
            // the object is committed; a leftover staging directory only takes space until it is aborted
        }
        states.remove(upload.id());
    }

    private static void removeAll(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** The upload's directory, when it exists and is for the upload's key. */
    private Path existing(Upload upload) {
        return existing(upload, false);
    }

    /**
     * As {@link #existing(Upload)}; with {@code known}, without reading {@code upload.json} when this process read it
     * already (a directory gone since fails the part's own file operations instead).
     */
    private Path existing(Upload upload, boolean known) {
        if (!ID.matcher(upload.id()).matches()) {
            throw notFound(upload);
        }
        Path dir = area.resolve(upload.id());
        State state = known ? states.get(upload.id()) : null;
        if (state != null && upload.key().equals(state.key)) {
            return dir;
        }
        try {
            JsonNode info = Json.MAPPER.readTree(Files.readAllBytes(dir.resolve("upload.json")));
            if (!upload.key().value().equals(info.path("key").asText())) {
                throw notFound(upload);
            }
            if (known) {
                states.computeIfAbsent(upload.id(), k -> new State()).key = upload.key();
            }
            return dir;
        } catch (NoSuchFileException e) {
            throw notFound(upload);
        } catch (IOException e) {
            throw store.failure("upload", upload.key(), e);
        }
    }

    /** A marker file of a directory written before the part log (decision 0103), or null when unreadable. */
    private static Marker legacyMarker(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            return Marker.parse(text);
        } catch (RuntimeException e) {
            return null; // cut short by a crash of the machine before it was synced: that part is put again
        }
    }

    /** Throws {@link NoSuchFileException} when the upload's directory is gone (aborted meanwhile). */
    private static void existingDir(Path dir) throws NoSuchFileException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(dir.getFileName().toString());
        }
    }

    /** Writes a small file whole by rename, so a reader sees all of it or nothing. */
    private void write(Path file, byte[] bytes) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp" + Long.toHexString(System.nanoTime()));
        Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private StorageException notFound(Upload upload) {
        return StorageException.notFound(name, "no part upload '" + upload.id().replaceAll("[^0-9A-Za-z_-]", "?")
                + "' for '" + upload.key() + "'");
    }
}
