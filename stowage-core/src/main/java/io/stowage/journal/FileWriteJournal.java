package io.stowage.journal;

import io.stowage.BlobKey;
import io.stowage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WriteJournal} in one append-only text file ({@code STOWAGE_HOME/state/journal.log}, format in
 * decision 0008). Every append and completion is one line ending in a CRC-32C of the line, written and
 * fsynced before the call returns, so a process killed with {@code kill -9} loses nothing acknowledged; a
 * torn last line fails its checksum and is ignored, and the next write starts on a line of its own. When
 * completed entries outnumber pending ones (and pass {@value #COMPACT_AFTER}), the file is rewritten with
 * the pending entries only, through a temporary file, fsync and an atomic rename.
 *
 * <p>Several processes may share the file (two {@code stowage put}s during an outage, a server and
 * {@code stowage replay}): every write takes an exclusive lock on {@code journal.lock}, first reads what
 * the others appended (or the whole file again after another process compacted it), then appends. Sequence
 * numbers are therefore unique across processes and never reused, even after compaction; reads pick up
 * the others' complete lines before answering.
 */
public final class FileWriteJournal implements WriteJournal {

    private static final Logger LOG = LoggerFactory.getLogger(FileWriteJournal.class);
    static final int COMPACT_AFTER = 1000;
    private static final String FILE = "journal.log";
    private static final String LOCK = "journal.lock";
    /** A file lock belongs to the whole JVM: journals of one process on the same file take turns here first. */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel lockChannel;
    private final ReentrantLock inProcess;
    /**
     * This journal's own state: a lock, not {@code synchronized}, since its holders do file I/O and a virtual
     * thread blocked on a monitor pins its carrier on JDK 21.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private FileChannel channel;
    /** Which file {@link #channel} appends to (the path names another one after a compaction elsewhere). */
    private Object channelFileKey;
    /** The file this journal has read ({@code fileKey}) and how far: what other writers add comes after. */
    private Object readFileKey;
    private long readOffset;
    private final Map<Long, Entry> pending = new LinkedHashMap<>();
    private final Map<String, Entry> latest = new HashMap<>();
    private long nextSeq = 1;
    private int completedInFile;
    private int bad;

    private FileWriteJournal(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.file = dir.resolve(FILE);
        this.inProcess = IN_PROCESS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new ReentrantLock());
        this.lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        inProcess.lock();
        try (FileLock ignored = lockChannel.lock()) {
            openChannel();
            refresh();
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        } finally {
            inProcess.unlock();
        }
        if (bad > 0) {
            LOG.warn("journal {}: ignored {} torn or corrupt line(s) (an interrupted write)", file, bad);
        }
    }

    /** Opens (or creates) the journal in {@code stateDir}, usually {@code STOWAGE_HOME/state}. */
    public static FileWriteJournal open(Path stateDir) {
        try {
            return new FileWriteJournal(stateDir);
        } catch (IOException e) {
            throw StorageException.io("journal", "open", null, e);
        }
    }

    /** The file this journal writes. */
    public Path file() {
        return file;
    }

    private static String key(String target, BlobKey key) {
        return target + "\n" + key.value();
    }

    /**
     * Brings the entries up to date with the file: the complete lines after {@link #readOffset}, or all
     * of a file another process compacted (a new file under the same name).
     */
    private void refresh() throws IOException {
        // Another process may compact (replace) the file at any moment: read from the file whose identity
        // was the same before and after opening it.
        for (int attempt = 0; ; attempt++) {
            Object before = fileKeyOrNull();
            if (before == null) {
                return;
            }
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                if (!before.equals(fileKeyOrNull()) && attempt < 10) {
                    continue;
                }
                readFrom(in, before);
                return;
            } catch (NoSuchFileException gone) {
                return;
            }
        }
    }

    private Object fileKeyOrNull() throws IOException {
        try {
            return fileKey();
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    private void readFrom(FileChannel in, Object fileKey) throws IOException {
        long size = in.size();
        if (!fileKey.equals(readFileKey) || size < readOffset) {
            pending.clear();
            latest.clear();
            completedInFile = 0;
            readOffset = 0;
            readFileKey = fileKey;
        }
        if (size == readOffset) {
            return;
        }
        in.position(readOffset);
        byte[] tail = new byte[(int) Math.min(Integer.MAX_VALUE - 16, size - readOffset)];
        ByteBuffer buf = ByteBuffer.wrap(tail);
        while (buf.hasRemaining() && in.read(buf) >= 0) {
            // read up to the size seen
        }
        int consumed = 0;
        for (int i = 0; i < buf.position(); i++) {
            if (tail[i] == '\n') {
                apply(new String(tail, consumed, i - consumed, StandardCharsets.UTF_8));
                consumed = i + 1;
            }
        }
        // A line without its newline is being written by another process, or was torn by a crash: not yet.
        readOffset += consumed;
    }

    private void apply(String line) {
        String[] f = checked(line);
        if (f == null) {
            bad++;
            return;
        }
        long seq = Long.parseLong(f[1]);
        nextSeq = Math.max(nextSeq, seq + 1);
        if (f[0].equals("C")) {
            Entry done = pending.remove(seq);
            completedInFile++;
            if (done != null) {
                latest.remove(key(done.target(), done.key()), done);
            }
        } else {
            Entry e = new Entry(seq, f[0].equals("P") ? Action.PUT : Action.DELETE, Reason.valueOf(f[2]), f[3],
                    f[4], BlobKey.of(f[7]), f[5], Instant.ofEpochMilli(Long.parseLong(f[6])));
            pending.put(seq, e);
            latest.put(key(e.target(), e.key()), e);
        }
    }

    /** Reads what other processes wrote; a failure to read keeps the last state (writes re-read under lock). */
    private void refreshQuietly() {
        try {
            refresh();
        } catch (IOException e) {
            LOG.warn("journal {}: could not read what other processes appended: {}", file, e.toString());
        }
    }

    private interface Locked<T> {
        T run() throws IOException;
    }

    /** Runs {@code body} holding the journal's lock against this and every other process, entries refreshed. */
    private <T> T locked(Locked<T> body, String operation) {
        lock.lock();
        inProcess.lock();
        try (FileLock ignored = lockChannel.lock()) {
            refresh();
            reopenIfReplaced();
            return body.run();
        } catch (IOException e) {
            throw StorageException.io("journal", operation, null, e);
        } finally {
            inProcess.unlock();
            lock.unlock();
        }
    }

    /** Opens the file for appending (creating it) and notes which file that is. */
    private void openChannel() throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        channelFileKey = fileKey();
    }

    private Object fileKey() throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        return attrs.fileKey() == null ? attrs.creationTime() : attrs.fileKey();
    }

    /** After another process compacted the file, append to the new one (and after a torn line, on a new line). */
    private void reopenIfReplaced() throws IOException {
        if (!fileKey().equals(channelFileKey)) {
            channel.close();
            openChannel();
        }
        if (readOffset < channel.size()) {
            // Bytes after the last complete line while we hold the lock: a line torn by a crash. End it, so
            // the next line stands on its own (it fails its checksum and is ignored).
            write(ByteBuffer.wrap(new byte[] {'\n'}));
            readOffset = channel.size();
            bad++;
        }
    }

    /** The fields of a line whose checksum holds, else null. */
    private static String[] checked(String line) {
        int tab = line.lastIndexOf('\t');
        if (tab < 0) {
            return null;
        }
        String body = line.substring(0, tab);
        if (!Long.toHexString(crc(body)).equals(line.substring(tab + 1))) {
            return null;
        }
        String[] f = body.split("\t", -1);
        return (f.length == 8 && (f[0].equals("P") || f[0].equals("D"))) || (f.length == 2 && f[0].equals("C")) ? f : null;
    }

    private static long crc(String body) {
        CRC32C c = new CRC32C();
        c.update(body.getBytes(StandardCharsets.UTF_8));
        return c.getValue();
    }

    private void write(String body) throws IOException {
        byte[] bytes = (body + "\t" + Long.toHexString(crc(body)) + "\n").getBytes(StandardCharsets.UTF_8);
        write(ByteBuffer.wrap(bytes));
        readOffset += bytes.length;
    }

    private void write(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        channel.force(false);
    }

    private static String line(Entry e) {
        return String.join("\t", e.action() == Action.PUT ? "P" : "D", Long.toString(e.seq()), e.reason().name(),
                e.target(), e.heldBy(), e.sha256(), Long.toString(e.at().toEpochMilli()), e.key().value());
    }

    @Override
    public Entry append(Action action, Reason reason, String target, String heldBy, BlobKey key, String sha256) {
        return locked(() -> {
            Entry e = new Entry(nextSeq++, action, reason, target, heldBy == null ? "" : heldBy, key,
                    sha256 == null ? "" : sha256, Instant.now());
            write(line(e));
            pending.put(e.seq(), e);
            latest.put(key(target, key), e);
            return e;
        }, "append");
    }

    @Override
    public void complete(long seq) {
        locked(() -> {
            Entry e = pending.get(seq);
            if (e == null) {
                return null;
            }
            write("C\t" + seq);
            pending.remove(seq);
            latest.remove(key(e.target(), e.key()), e);
            completedInFile++;
            if (completedInFile >= COMPACT_AFTER && completedInFile > pending.size()) {
                compactLocked();
            }
            return null;
        }, "complete");
    }

    /** Rewrites the file with only the pending entries. */
    public void compact() {
        locked(() -> {
            compactLocked();
            return null;
        }, "compact");
    }

    /**
     * The rewrite itself, under the lock. It ends with a completion of the highest sequence number used, so
     * numbers are never handed out twice: a process still holding an older entry may complete it late.
     */
    private void compactLocked() throws IOException {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            StringBuilder sb = new StringBuilder();
            for (Entry e : pending.values()) {
                String body = line(e);
                sb.append(body).append('\t').append(Long.toHexString(crc(body))).append('\n');
            }
            String last = "C\t" + (nextSeq - 1);
            sb.append(last).append('\t').append(Long.toHexString(crc(last))).append('\n');
            ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            out.force(true);
        }
        channel.close();
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // Not every platform can fsync a directory; the rename is still atomic.
        }
        openChannel();
        readFileKey = channelFileKey;
        readOffset = channel.size();
        completedInFile = 1;
    }

    @Override
    public List<Entry> pending() {
        lock.lock();
        try {
            refreshQuietly();
            return new ArrayList<>(pending.values());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Entry> latest(String target, BlobKey key) {
        lock.lock();
        try {
            refreshQuietly();
            return Optional.ofNullable(latest.get(key(target, key)));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            refreshQuietly();
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        // Closing a channel may drop every lock this JVM holds on the file: not while another journal holds it.
        inProcess.lock();
        try {
            channel.close();
            lockChannel.close();
        } catch (IOException e) {
            throw StorageException.io("journal", "close", null, e);
        } finally {
            inProcess.unlock();
            lock.unlock();
        }
    }
}
