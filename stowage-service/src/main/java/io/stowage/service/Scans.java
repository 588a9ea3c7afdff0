package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virus scanning of saves through clamd ({@link ScanSettings}, decision 0055). The bytes a save hands its backend
 * pass through a tee that sends them to clamd as they go ({@code INSTREAM}), so nothing is read twice; the verdict
 * is awaited after the backend has the object and before the version commits. An infected version is refused
 * with {@link InfectedContentException}, its object quarantined or deleted (the save's undo deletes it), with a
 * {@code file.infected} event and an audit entry. A scan clamd cannot make (away, timing out, refusing the
 * stream) refuses the save with {@code UNAVAILABLE}, or, with {@code fail_mode: open}, lets it through
 * unscanned. Thread-safe.
 */
public final class Scans {

    private static final Logger LOG = LoggerFactory.getLogger(Scans.class);

    private final ScanSettings settings;
    private final Optional<Clamd> clamd;
    private final BlobStore blobs;
    private final CatalogDatabase catalog;
    private final EventOutbox events;
    private final AuditLog audit;
    private final Clock clock;
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong infected = new AtomicLong();
    private final AtomicLong unscanned = new AtomicLong();

    Scans(ScanSettings settings, BlobStore blobs, CatalogDatabase catalog, EventOutbox events, AuditLog audit,
          Clock clock) {
        this.settings = settings;
        this.clamd = settings.clamd().map(a -> new Clamd(a, settings.timeout()));
        this.blobs = blobs;
        this.catalog = catalog;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
    }

    /** The state of scanning, for health: whether it is on, whether clamd answers, and what saves do meanwhile. */
    public record Health(boolean enabled, boolean healthy, Duration latency, String failMode, long scanned,
                         long infected, long unscanned) {
        /** What a save meets now: {@code scanned}, {@code refused} (clamd away, fail mode closed), {@code unscanned}. */
        public String uploads() {
            return !enabled ? "unscanned" : healthy ? "scanned" : failMode.equals("open") ? "unscanned" : "refused";
        }
    }

    /** Asks clamd for a {@code PONG} (bounded by {@code scan.timeout}); scanning off is healthy. */
    public Health health() {
        long start = System.nanoTime();
        boolean healthy = true;
        if (clamd.isPresent()) {
            try {
                clamd.get().ping();
            } catch (IOException e) {
                healthy = false;
            }
        }
        return new Health(clamd.isPresent(), healthy, Duration.ofNanos(System.nanoTime() - start),
                settings.failOpen() ? "open" : "closed", scanned.get(), infected.get(), unscanned.get());
    }

    /** A scan of one save's content, whose object will be {@code key}. */
    Watch watch(String owner, String fileId, BlobKey key, BlobContent content) {
        return new Watch(owner, fileId, key, content);
    }

    /**
     * The content a save hands its backend ({@link #content()}), teed to clamd, and the verdict on it
     * ({@link #verdict}).
     */
    final class Watch implements BlobContent {
        private final String owner;
        private final String fileId;
        private final BlobKey key;
        private final BlobContent content;
        private Clamd.Session session;
        private IOException failure;
        private long sent;

        private Watch(String owner, String fileId, BlobKey key, BlobContent content) {
            this.owner = owner;
            this.fileId = fileId;
            this.key = key;
            this.content = content;
        }

        /**
         * What to hand the backend: this watch, or the content itself when nothing is scanned. Connects to clamd
         * first, so a save clamd cannot scan is refused before a byte is sent when the fail mode is closed.
         *
         * @throws StorageException {@code UNAVAILABLE} when clamd does not answer and the fail mode is closed
         */
        BlobContent content() {
            if (clamd.isEmpty()) {
                return content;
            }
            try {
                session = clamd.get().session();
                return this;
            } catch (IOException e) {
                unscannable(e.getMessage());
                return content;
            }
        }

        @Override
        public OptionalLong length() {
            return content.length();
        }

        @Override
        public boolean replayable() {
            return content.replayable();
        }

        @Override
        public Optional<Path> file() {
            // The backend must read the bytes through the tee, not take the file from under it.
            return Optional.empty();
        }

        @Override
        public InputStream open() throws IOException {
            if (session == null || sent > 0 || failure != null) {
                // a replay (a retried put) starts a scan of its own
                if (session != null) {
                    session.close();
                }
                failure = null;
                sent = 0;
                session = clamd.orElseThrow().session();
            }
            return new Tee(content.open());
        }

        /**
         * Awaits clamd's verdict on what the backend stored as {@code stored}, and returns it when it is clean.
         *
         * @throws InfectedContentException when clamd found something (after the event, the audit entry and the
         *     quarantine copy where set); the caller deletes the object as for any failed save
         * @throws StorageException {@code UNAVAILABLE} when clamd could not scan it and the fail mode is closed
         */
        BlobInfo verdict(BlobInfo stored) {
            if (session == null) {
                return stored;
            }
            Clamd.Verdict verdict;
            try (Clamd.Session s = session) {
                if (failure != null) {
                    throw failure;
                }
                if (sent != stored.size()) {
                    throw new IOException("the scanner saw " + sent + " of " + stored.size() + " bytes");
                }
                verdict = s.finish();
            } catch (IOException e) {
                verdict = new Clamd.Verdict(Clamd.Verdict.Status.ERROR, e.getMessage());
            } finally {
                session = null;
            }
            switch (verdict.status()) {
                case CLEAN -> scanned.incrementAndGet();
                case INFECTED -> throw refuse(verdict.detail());
                case ERROR -> unscannable(verdict.detail());
            }
            return stored;
        }

        /** Refuses with {@code UNAVAILABLE}, or lets it through unscanned ({@code fail_mode: open}). */
        private void unscannable(String why) {
            if (!settings.failOpen()) {
                LOG.warn("file {} of {} refused: the virus scanner could not scan it (scan.fail_mode is closed): {}",
                        fileId, owner, why);
                throw StorageException.builder(ErrorKind.UNAVAILABLE).operation("scan")
                        .message("the virus scanner could not scan the content: " + why).build();
            }
            unscanned.incrementAndGet();
            LOG.warn("file {} of {} stored unscanned (scan.fail_mode is open): {}", fileId, owner, why);
        }

        private InfectedContentException refuse(String signature) {
            scanned.incrementAndGet();
            infected.incrementAndGet();
            BlobKey quarantine = BlobKey.of(owner + "/quarantine/" + fileId + "/" + key.name());
            boolean kept = false;
            if (settings.quarantine()) {
                try {
                    blobs.copy(key, quarantine);
                    kept = true;
                } catch (StorageException e) {
                    LOG.warn("could not quarantine the infected content of file {} ({}); it is deleted: {}", fileId,
                            signature, e.getMessage());
                }
            }
            String outcome = kept ? "quarantined" : "deleted";
            InfectedContentException refusal = new InfectedContentException(signature, kept);
            Instant now = clock.instant();
            Map<String, String> data = kept ? Map.of("signature", signature, "action", "quarantined",
                    "quarantine_key", quarantine.value()) : Map.of("signature", signature, "action", "deleted");
            try {
                events.announce(catalog.inTransaction("scan", h -> {
                    audit.append(h, owner, "file.infected", "file:" + fileId, outcome, now);
                    return events.append(h, FileEvent.INFECTED, owner, fileId, data, now);
                }));
            } catch (RuntimeException e) {
                refusal.addSuppressed(e);
            }
            LOG.warn("refused infected content for file {} of {}: {} ({})", fileId, owner, signature, outcome);
            return refusal;
        }

        /** Hands every byte read on to clamd; a clamd that fails is noted, never the backend's read. */
        private final class Tee extends FilterInputStream {
            Tee(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    pass(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    pass(b, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                // a skipped byte would go unscanned: read it through instead
                byte[] buffer = new byte[(int) Math.min(n, 8192)];
                int read = read(buffer, 0, buffer.length);
                return Math.max(read, 0);
            }

            @Override
            public boolean markSupported() {
                return false;
            }

            private void pass(byte[] b, int off, int n) {
                if (failure != null) {
                    return;
                }
                try {
                    session.write(b, off, n);
                    sent += n;
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
    }
}
