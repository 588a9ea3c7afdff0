package io.stowage.service;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The header of a SQLite catalog's WAL index (its {@code -shm} file), read from memory: every transaction that
 * commits, in any process, changes it (its change counter, the last valid frame, and the salts when the WAL starts
 * over), and SQLite's own readers take their snapshot from it. So while it reads the same as at a moment, nothing
 * has committed since that moment, and the read cache may answer without asking the catalog (decision 0085).
 *
 * <p>The header is kept twice, the second copy written first; a read of two copies that differ is a commit in
 * progress and answers "changed". A connection of this watch's own stays open, so that SQLite never removes the
 * file (its last connection to close does) while the mapping is in use.
 */
final class WalIndexWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WalIndexWatch.class);
    /** Two copies of the 48-byte {@code WalIndexHdr}. */
    private static final int HEADER = 48;

    private final Connection pin;
    private final FileChannel channel;
    private final MappedByteBuffer map;

    private WalIndexWatch(Connection pin, FileChannel channel, MappedByteBuffer map) {
        this.pin = pin;
        this.channel = channel;
        this.map = map;
    }

    /**
     * A watch of the WAL index beside {@code databaseFile}, or null when there is none to read (another journal
     * mode, an exclusive lock, a file that cannot be mapped): then the cache asks the catalog on every read.
     */
    static WalIndexWatch open(DataSource unpooled, Path databaseFile) {
        Connection pin = null;
        WalIndexWatch watch = null;
        try {
            pin = unpooled.getConnection();
            watch = mapped(pin, databaseFile);
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.debug("the catalog's WAL index cannot be watched ({}); every read asks the catalog", e.toString());
        }
        if (watch == null && pin != null) {
            try {
                pin.close();
            } catch (SQLException ignored) {
                // nothing more to do
            }
        }
        return watch;
    }

    /** The watch over {@code pin}'s WAL index, or null when the catalog keeps none to map. */
    private static WalIndexWatch mapped(Connection pin, Path databaseFile) throws SQLException, IOException {
        // A first read maps the WAL index, creating the file if no connection had yet.
        try (var s = pin.createStatement(); var rs = s.executeQuery("PRAGMA journal_mode")) {
            if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
                return null;
            }
        }
        Path shm = databaseFile.resolveSibling(databaseFile.getFileName() + "-shm");
        if (!Files.isRegularFile(shm) || Files.size(shm) < 2 * HEADER) {
            return null;
        }
        FileChannel channel = FileChannel.open(shm, StandardOpenOption.READ);
        try {
            return new WalIndexWatch(pin, channel, channel.map(FileChannel.MapMode.READ_ONLY, 0, 2 * HEADER));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The header as it reads now, or null while a commit is writing it (the two copies differ). */
    long[] read() {
        long[] first = new long[HEADER / 8];
        for (int i = 0; i < first.length; i++) {
            first[i] = map.getLong(i * 8);
        }
        return readsAs(first) ? first : null;
    }

    /**
     * Whether both copies of the header read as {@code header} now (a null one never does), without allocating:
     * the question every cached read asks.
     */
    boolean readsAs(long[] header) {
        if (header == null) {
            return false;
        }
        for (int copy = 0; copy < 2; copy++) {
            for (int i = 0; i < header.length; i++) {
                if (map.getLong(copy * HEADER + i * 8) != header[i]) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the WAL index: {}", e.toString());
        }
        try {
            pin.close();
        } catch (SQLException e) {
            LOG.debug("closing the WAL index's connection: {}", e.toString());
        }
    }
}
