package io.stowage;

/** A write would take an owner past a quota; carries the limit and the usage that crossed it. */
public final class QuotaExceededException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final long limit;
    private final long wouldUse;

    public QuotaExceededException(String what, long limit, long wouldUse) {
        super(StorageException.builder(ErrorKind.QUOTA_EXCEEDED)
                .message(what + " quota of " + limit + " exceeded (would use " + wouldUse + ")"));
        this.limit = limit;
        this.wouldUse = wouldUse;
    }

    public long limit() {
        return limit;
    }

    public long wouldUse() {
        return wouldUse;
    }
}
