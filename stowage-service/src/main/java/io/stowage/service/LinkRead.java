package io.stowage.service;

import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A file version opened through a signed link: the version's record, the {@code Content-Disposition} the link
 * asked for (naming the file by its display name), and either the bytes or, in redirect mode where the backend
 * holding the version presigns, a backend URL to send the client to ({@link #redirect()}). The caller closes it.
 * Not for use by several threads.
 */
public final class LinkRead implements AutoCloseable {

    private final FileRecord file;
    private final LinkOptions.Disposition disposition;
    private final URI redirect;
    private final Supplier<FileRead> opener;
    private FileRead read;

    /** A link read streamed through the service. */
    LinkRead(FileRead read, LinkOptions.Disposition disposition) {
        this(read.file(), disposition, null, () -> read);
        this.read = read;
    }

    /** A link read the client fetches from {@code redirect}; the bytes are opened only if {@link #read()} asks. */
    LinkRead(FileRecord file, LinkOptions.Disposition disposition, URI redirect, Supplier<FileRead> opener) {
        this.file = file;
        this.disposition = disposition;
        this.redirect = redirect;
        this.opener = opener;
    }

    /**
     * The version's record (the version the link names, which may no longer be the current one) and bytes. For a
     * link read with a {@link #redirect()}, the bytes are opened here, on the first call: a caller that redirects
     * never opens them.
     */
    public FileRead read() {
        if (read == null) {
            read = opener.get();
        }
        return read;
    }

    /** The record of the version the link names. */
    public FileRecord file() {
        return file;
    }

    /**
     * In redirect mode ({@code limits.link_mode: redirect}), where the backend holding the version presigns: a URL
     * of that backend that serves the version, with this link's {@link #contentDisposition()} and the version's
     * content type, living as long as the link still does (at most 7 days). Empty in proxy mode and where the
     * backend cannot presign: then {@link #read()} streams the bytes. The URL serves the whole version: a
     * client resuming a download sends its {@code Range} header there.
     */
    public Optional<URI> redirect() {
        return Optional.ofNullable(redirect);
    }

    public LinkOptions.Disposition disposition() {
        return disposition;
    }

    /** The {@code Content-Disposition} header value for the download (RFC 6266). */
    public String contentDisposition() {
        return contentDisposition(disposition, file);
    }

    static String contentDisposition(LinkOptions.Disposition disposition, FileRecord file) {
        return disposition == LinkOptions.Disposition.INLINE ? ContentDisposition.inline(file)
                : ContentDisposition.attachment(file);
    }

    @Override
    public void close() {
        if (read != null) {
            read.close();
        }
    }
}
