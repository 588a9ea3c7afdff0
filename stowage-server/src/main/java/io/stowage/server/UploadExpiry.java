package io.stowage.server;

import io.stowage.service.ResumableUploads;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes expired and terminated resumable upload sessions every {@link #EVERY} while the server runs
 * ({@link ResumableUploads#expire}); the maintenance jobs can run the same on demand. On a shared catalog each
 * node does it, which is harmless: removing a session twice finds nothing the second time.
 */
final class UploadExpiry implements AutoCloseable {

    static final Duration EVERY = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(UploadExpiry.class);

    private final ScheduledExecutorService timer;

    private UploadExpiry(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static UploadExpiry start(ResumableUploads uploads) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stowage-upload-expiry");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                int removed = uploads.expire(Instant.now(), false);
                if (removed > 0) {
                    LOG.info("removed {} expired or terminated upload sessions", removed);
                }
            } catch (RuntimeException e) {
                LOG.warn("removing expired upload sessions failed; the next run tries again: {}", e.getMessage());
            }
        }, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return new UploadExpiry(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
