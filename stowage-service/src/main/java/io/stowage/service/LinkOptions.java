package io.stowage.service;

import java.util.Optional;

/**
 * How a signed download link serves its file: shown in the browser ({@link #inline()}) or saved
 * ({@link #attachment()}), and optionally only to one user ({@link #boundTo}, spec 004's user-specific
 * tokens). Immutable.
 */
public final class LinkOptions {

    /** What the {@code Content-Disposition} of a link's download says. */
    public enum Disposition {
        INLINE,
        ATTACHMENT
    }

    private static final LinkOptions INLINE = new LinkOptions(Disposition.INLINE, null);
    private static final LinkOptions ATTACHMENT = new LinkOptions(Disposition.ATTACHMENT, null);

    private final Disposition disposition;
    private final String user;

    private LinkOptions(Disposition disposition, String user) {
        this.disposition = disposition;
        this.user = user;
    }

    public static LinkOptions inline() {
        return INLINE;
    }

    public static LinkOptions attachment() {
        return ATTACHMENT;
    }

    /**
     * These options for a link only {@code user} may open ({@link StorageService#openLink(String, String)}).
     *
     * @throws io.stowage.StorageException {@code INVALID_ARGUMENT} unless {@code user} has the form of an owner id
     */
    public LinkOptions boundTo(String user) {
        return new LinkOptions(disposition, Names.owner(user));
    }

    public Disposition disposition() {
        return disposition;
    }

    /** The only user who may open the link, if it is bound to one. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }
}
