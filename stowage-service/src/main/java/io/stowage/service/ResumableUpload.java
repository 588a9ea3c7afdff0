package io.stowage.service;

import java.time.Instant;
import java.util.Optional;

/**
 * A resumable upload session (tus 1.0, decision 0050) as its owner sees it.
 *
 * @param id the session's id
 * @param owner whose session it is
 * @param length the declared size of the file, in bytes
 * @param offset how many bytes were received so far
 * @param name the name the file gets
 * @param contentType the type the client declared, or null
 * @param metadata the client's {@code Upload-Metadata} as it was sent, or null
 * @param expiresAt when an unfinished session and what it received are removed
 * @param fileId the file made of it once it is complete
 */
public record ResumableUpload(String id, String owner, long length, long offset, String name, String contentType,
                              String metadata, Instant expiresAt, Optional<String> fileId) {

    /** Whether every byte arrived and the file was saved. */
    public boolean finished() {
        return fileId.isPresent();
    }
}
