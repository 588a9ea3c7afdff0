package io.stowage.service;

/**
 * A file version opened through a signed link: the read, and the {@code Content-Disposition} the link asked
 * for, naming the file by its display name. The caller closes it.
 */
public final class LinkRead implements AutoCloseable {

    private final FileRead read;
    private final LinkOptions.Disposition disposition;

    LinkRead(FileRead read, LinkOptions.Disposition disposition) {
        this.read = read;
        this.disposition = disposition;
    }

    /** The version's record (the version the link names, which may no longer be the current one) and bytes. */
    public FileRead read() {
        return read;
    }

    public LinkOptions.Disposition disposition() {
        return disposition;
    }

    /** The {@code Content-Disposition} header value for the download (RFC 6266). */
    public String contentDisposition() {
        return disposition == LinkOptions.Disposition.INLINE ? ContentDisposition.inline(read.file())
                : ContentDisposition.attachment(read.file());
    }

    @Override
    public void close() {
        read.close();
    }
}
