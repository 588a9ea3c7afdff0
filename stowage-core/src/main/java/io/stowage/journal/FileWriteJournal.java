package io.stowage.journal;

import io.stowage.BlobKey;
import io.stowage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WriteJournal} in one append-only text file ({@code STOWAGE_HOME/state/journal.log}, format in
 * decision 0008). Every append and completion is one line ending in a CRC-32C of the line, written and
 * fsynced before the call returns, so a process killed with {@code kill -9} loses nothing acknowledged; a
 * torn last line fails its checksum and is ignored on open. When completed entries outnumber pending
 * ones (and pass {@value #COMPACT_AFTER}), the file is rewritten with the pending entries only, through a
 * temporary file, fsync and an atomic rename.
 */
public final class FileWriteJournal implements WriteJournal {

    private static final Logger LOG = LoggerFactory.getLogger(FileWriteJournal.class);
    static final int COMPACT_AFTER = 1000;
    private static final String FILE = "journal.log";

    private final Path file;
    private FileChannel channel;
    private final Map<Long, Entry> pending = new LinkedHashMap<>();
    private final Map<String, Entry> latest = new HashMap<>();
    private long nextSeq = 1;
    private int completedInFile;

    private FileWriteJournal(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.file = dir.resolve(FILE);
        load();
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
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

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int bad = 0;
        for (String line : lines) {
            String[] f = checked(line);
            if (f == null) {
                bad++;
                continue;
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
        if (bad > 0) {
            LOG.warn("journal {}: ignored {} torn or corrupt line(s) (an interrupted write)", file, bad);
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

    private void write(String body) {
        byte[] bytes = (body + "\t" + Long.toHexString(crc(body)) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
        } catch (IOException e) {
            throw StorageException.io("journal", "append", null, e);
        }
    }

    private static String line(Entry e) {
        return String.join("\t", e.action() == Action.PUT ? "P" : "D", Long.toString(e.seq()), e.reason().name(),
                e.target(), e.heldBy(), e.sha256(), Long.toString(e.at().toEpochMilli()), e.key().value());
    }

    @Override
    public synchronized Entry append(Action action, Reason reason, String target, String heldBy, BlobKey key,
                                     String sha256) {
        Entry e = new Entry(nextSeq++, action, reason, target, heldBy == null ? "" : heldBy, key,
                sha256 == null ? "" : sha256, Instant.now());
        write(line(e));
        pending.put(e.seq(), e);
        latest.put(key(target, key), e);
        return e;
    }

    @Override
    public synchronized void complete(long seq) {
        Entry e = pending.get(seq);
        if (e == null) {
            return;
        }
        write("C\t" + seq);
        pending.remove(seq);
        latest.remove(key(e.target(), e.key()), e);
        completedInFile++;
        if (completedInFile >= COMPACT_AFTER && completedInFile > pending.size()) {
            compact();
        }
    }

    /** Rewrites the file with only the pending entries. */
    public synchronized void compact() {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                StringBuilder sb = new StringBuilder();
                for (Entry e : pending.values()) {
                    String body = line(e);
                    sb.append(body).append('\t').append(Long.toHexString(crc(body))).append('\n');
                }
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
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            completedInFile = 0;
        } catch (IOException e) {
            throw StorageException.io("journal", "compact", null, e);
        }
    }

    @Override
    public synchronized List<Entry> pending() {
        return new ArrayList<>(pending.values());
    }

    @Override
    public synchronized Optional<Entry> latest(String target, BlobKey key) {
        return Optional.ofNullable(latest.get(key(target, key)));
    }

    @Override
    public synchronized int size() {
        return pending.size();
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw StorageException.io("journal", "close", null, e);
        }
    }
}
