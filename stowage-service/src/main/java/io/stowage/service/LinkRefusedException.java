package io.stowage.service;

import io.stowage.ErrorKind;
import io.stowage.StorageException;

/**
 * A signed link that does not open: {@code PERMISSION_DENIED}, with the {@link #refusal()}. The message says
 * why in words and never holds the token or a key. (A link to a file that is gone is not refused but
 * {@code NOT_FOUND}, like the file.)
 */
public final class LinkRefusedException extends StorageException {

    private static final long serialVersionUID = 1L;

    /** Why a link was refused. */
    public enum Reason {
        /** Not a token this service makes. */
        MALFORMED("is not a signed link"),
        /** Its signature does not match its content: changed, or made with another secret. */
        BAD_SIGNATURE("has a signature that does not match"),
        /** Signed with a key this catalog does not have. */
        UNKNOWN_KEY("was signed with a key this service does not know"),
        /** Signed with a key that has been retired. */
        RETIRED_KEY("was signed with a retired key"),
        /** Past its expiry. */
        EXPIRED("has expired"),
        /** Bound to another user than the one opening it. */
        OTHER_USER("is for another user");

        private final String words;

        Reason(String words) {
            this.words = words;
        }
    }

    private final Reason refusal;

    LinkRefusedException(Reason reason) {
        super(StorageException.builder(ErrorKind.PERMISSION_DENIED).operation("openLink")
                .message("the link " + reason.words));
        this.refusal = reason;
    }

    public Reason refusal() {
        return refusal;
    }
}
