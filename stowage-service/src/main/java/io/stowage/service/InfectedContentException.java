package io.stowage.service;

import io.stowage.ErrorKind;
import io.stowage.StorageException;

/**
 * A save refused because the virus scanner found {@link #signature()} in its content; of kind
 * {@code INVALID_ARGUMENT} (the content is at fault, retrying cannot help), answered by the server as 422 with the
 * problem kind {@value #KIND}. Nothing of the refused version stays where the file would have been.
 */
public final class InfectedContentException extends StorageException {

    /** The problem kind the server names. */
    public static final String KIND = "INFECTED";

    private final String signature;
    private final boolean quarantined;

    InfectedContentException(String signature, boolean quarantined) {
        super(StorageException.builder(ErrorKind.INVALID_ARGUMENT).operation("scan")
                .message("the content is infected (" + signature + ")" + (quarantined ? " and was quarantined" : "")));
        this.signature = signature;
        this.quarantined = quarantined;
    }

    /** What the scanner found, as it names it ({@code Eicar-Test-Signature}). */
    public String signature() {
        return signature;
    }

    /** Whether the content was kept in quarantine (else it was deleted). */
    public boolean quarantined() {
        return quarantined;
    }
}
