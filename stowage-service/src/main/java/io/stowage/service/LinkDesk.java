package io.stowage.service;

import io.stowage.BlobKey;
import io.stowage.GetOptions;
import io.stowage.Presigner;
import io.stowage.StorageException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The service's signed links and their keys (decision 0035); {@link StorageService} documents each call. */
final class LinkDesk {

    private final SignedLinks links = new SignedLinks();
    private final CatalogDatabase catalog;
    private final FileCatalog files;
    private final Placement placement;
    private final AuditLog audit;
    private final Guards guards;
    private final LiveLimits settings;
    private final Clock clock;
    private final ReadEvents reads;

    LinkDesk(CatalogDatabase catalog, FileCatalog files, Placement placement, AuditLog audit, Guards guards,
             LiveLimits settings, Clock clock, ReadEvents reads) {
        this.reads = reads;
        this.catalog = catalog;
        this.files = files;
        this.placement = placement;
        this.audit = audit;
        this.guards = guards;
        this.settings = settings;
        this.clock = clock;
    }

    /** Makes the first signing key when the catalog has none (the first start). */
    void ensureKey() {
        catalog.useTransaction("keys", h -> links.signingKey(h, clock.instant()));
    }

    DownloadLink downloadUrl(String owner, String fileId, Duration ttl, LinkOptions options) {
        Names.owner(owner);
        if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(settings.maxLinkTtl()) > 0) {
            throw StorageException.invalidArgument("a link lives from 1 to " + settings.maxLinkTtl().toSeconds()
                    + " seconds (limits.max_link_ttl), was " + (ttl == null ? "not given"
                    : BigDecimal.valueOf(ttl.toMillis(), 3).stripTrailingZeros().toPlainString() + " seconds"));
        }
        return guards.audited(owner, "link.create", "file:" + Guards.printableId(fileId), () -> catalog.inTransaction("link", h -> {
            FileCatalog.Entry entry = guards.existing(h, owner, fileId);
            Instant now = clock.instant();
            Instant expires = Instant.ofEpochSecond(now.plus(ttl).getEpochSecond());
            String token = links.sign(h, new SignedLinks.Claims(links.signingKey(h, now), fileId,
                    entry.record().versionId(), owner, expires, options.disposition(), options.user()));
            audit.append(h, owner, "link.create", "file:" + fileId, AuditLog.OK, now);
            return new DownloadLink(token, expires, fileId, entry.record().versionId());
        }));
    }

    LinkRead openLink(String token, String user, GetOptions options) {
        SignedLinks.Claims claims = catalog.withHandle("link", h -> links.verify(h, token, clock.instant()));
        FileCatalog.Entry entry = linked(claims, user);
        FileRecord file = entry.record();
        reads.read(claims.owner(), claims.fileId());
        BlobKey key = BlobKey.of(entry.blobKey());
        Optional<Presigner> presigner = settings.redirectLinks() ? placement.presigner(file.backend()) : Optional.empty();
        if (presigner.isPresent()) {
            // As long as the link still lives, in whole seconds, within what a backend signs.
            long seconds = Duration.between(clock.instant(), claims.expiresAt()).toSeconds();
            Duration ttl = Duration.ofSeconds(Math.max(1, Math.min(seconds, Presigner.MAX_TTL.toSeconds())));
            URI url = presigner.get().presignGet(key, ttl, new Presigner.GetOverrides(Optional.of(file.contentType()),
                    Optional.of(LinkRead.contentDisposition(claims.disposition(), file)))).url();
            return new LinkRead(file, claims.disposition(), url,
                    () -> new FileRead(file, placement.get(file.backend(), key, options)));
        }
        return new LinkRead(new FileRead(file, placement.get(file.backend(), key, options)), claims.disposition());
    }

    /** The version a link names, for {@code user}; refused as {@link #openLink} refuses. */
    FileCatalog.Entry linked(String token, String user) {
        SignedLinks.Claims claims = catalog.withHandle("link", h -> links.verify(h, token, clock.instant()));
        return linked(claims, user);
    }

    private FileCatalog.Entry linked(SignedLinks.Claims claims, String user) {
        if (claims.user().isPresent() && !claims.user().get().equals(user)) {
            throw new LinkRefusedException(LinkRefusedException.Reason.OTHER_USER);
        }
        return catalog.withHandle("link", h -> files.findVersion(h, claims.owner(), claims.fileId(),
                claims.versionId())).orElseThrow(() -> Guards.fileNotFound(claims.fileId()));
    }

    List<SigningKey> signingKeys() {
        return catalog.withHandle("keys", links::list);
    }

    SigningKey rotateSigningKey() {
        return catalog.inTransaction("keys", h -> {
            SigningKey key = links.create(h, clock.instant());
            audit.append(h, StorageService.SYSTEM, "signing_key.rotate", "signing_key:" + key.id(), AuditLog.OK, clock.instant());
            return key;
        });
    }

    void retireSigningKey(String keyId) {
        guards.audited(StorageService.SYSTEM, "signing_key.retire", "signing_key:" + Guards.printableId(keyId), () -> {
            catalog.useTransaction("keys", h -> {
                if (!links.retire(h, keyId, clock.instant())) {
                    throw StorageException.notFound(null, "no signing key '" + Guards.printableId(keyId) + "' in use");
                }
                audit.append(h, StorageService.SYSTEM, "signing_key.retire", "signing_key:" + keyId, AuditLog.OK, clock.instant());
            });
            return null;
        });
    }
}
