package io.stowage.composite;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.Capabilities;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/** What the composites share. */
final class Composites {

    private Composites() {
    }

    /**
     * Whether a failure says the store is away (so another store may answer), not that the answer is no:
     * {@link ErrorKind#outage()}. A refusal (wrong credentials, a setting the service rejects) is an answer.
     */
    static boolean away(StorageException e) {
        return e.kind().outage();
    }

    /**
     * The answer of a failover composite when its primary could not be asked and no fallback has the key:
     * {@code NOT_FOUND} as far as the stores that answered know, with the primary's failure as the cause,
     * so a caller (a mirror with replicas) can tell it from a primary saying no.
     */
    static StorageException notFoundWhileAway(String composite, BlobKey key, String answeredBy,
                                              StorageException primaryFailure) {
        return StorageException.builder(ErrorKind.NOT_FOUND).backend(composite).key(key).cause(primaryFailure)
                .message("no blob '" + key + "' in fallback '" + answeredBy + "', and the primary could not be asked: "
                        + primaryFailure.reason())
                .build();
    }

    /**
     * Whether {@code e} is a {@link #notFoundWhileAway} answer: the key may still be where nobody could look
     * (a primary that was away, or that refused us where {@code fallback_on} passed the refusal on).
     */
    static boolean notFoundWhileAway(StorageException e) {
        return e.kind() == ErrorKind.NOT_FOUND && e.getCause() instanceof StorageException c
                && (away(c) || FallbackOn.refusal(c.kind()));
    }

    /** A composite offers no optional feature: each would have to know where every object is. */
    static Capabilities withoutFeatures(Capabilities c) {
        return c.withOverrides(Map.of("metadata_update", false, "versioning", false, "soft_delete", false,
                "presign", false, "lifecycle", false));
    }

    /** Content that remembers whether it was opened: one-shot content not yet opened may still go elsewhere. */
    static final class Tracked implements BlobContent {
        private final BlobContent content;
        private final AtomicBoolean opened = new AtomicBoolean();

        Tracked(BlobContent content) {
            this.content = content;
        }

        boolean canTryAgain() {
            return content.replayable() || !opened.get();
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
        public InputStream open() throws IOException {
            opened.set(true);
            return content.open();
        }

        @Override
        public Optional<java.nio.file.Path> file() {
            return content.file();
        }
    }
}
