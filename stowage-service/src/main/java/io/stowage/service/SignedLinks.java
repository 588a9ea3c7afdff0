package io.stowage.service;

import io.stowage.StorageException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Handle;

/**
 * Signed download links (decision 0035): tokens and the keys that sign them.
 *
 * <p>A token is {@code base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))}, the
 * payload {@code 1|key id|file id|version id|owner|expiry in epoch seconds|i or a|user or nothing}. Owner and
 * user ids never hold {@code |} ({@link Names#owner}), nor do ids. Keys are 256 random bits in the
 * {@code signing_keys} table; the newest one not retired signs, every one not retired verifies. Keys are read
 * from the catalog on every verification, so a key retired on one node is refused by all at once.
 */
final class SignedLinks {

    private static final String FORMAT = "1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern FIELD_SPLIT = Pattern.compile("|", Pattern.LITERAL);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a verified token says. */
    record Claims(String keyId, String fileId, String versionId, String owner, Instant expiresAt,
                  LinkOptions.Disposition disposition, Optional<String> user) {
    }

    private record Key(String id, byte[] secret, Instant created, Instant retired) {
        SigningKey visible() {
            return new SigningKey(id, created, Optional.ofNullable(retired));
        }
    }

    /** Makes a token for {@code claims} with the key {@code claims.keyId()}, whose secret {@link #signingKey} gave. */
    String sign(Handle h, Claims claims) {
        Key key = find(h, claims.keyId()).orElseThrow();
        String payload = ENCODER.encodeToString(String.join("|", FORMAT, claims.keyId(), claims.fileId(),
                claims.versionId(), claims.owner(), Long.toString(claims.expiresAt().getEpochSecond()),
                claims.disposition() == LinkOptions.Disposition.INLINE ? "i" : "a", claims.user().orElse(""))
                .getBytes(StandardCharsets.UTF_8));
        return payload + "." + ENCODER.encodeToString(mac(key.secret(), payload));
    }

    /**
     * The claims of {@code token}, when its key is known and not retired, its signature matches and it has
     * not expired at {@code now}.
     *
     * @throws LinkRefusedException otherwise
     */
    Claims verify(Handle h, String token, Instant now) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot < 1 || dot != token.lastIndexOf('.') || token.length() > 2048) {
            throw new LinkRefusedException(LinkRefusedException.Reason.MALFORMED);
        }
        String payload = token.substring(0, dot);
        byte[] signature;
        String[] f;
        try {
            signature = DECODER.decode(token.substring(dot + 1));
            f = FIELD_SPLIT.split(new String(DECODER.decode(payload), StandardCharsets.UTF_8), -1);
        } catch (IllegalArgumentException e) {
            throw new LinkRefusedException(LinkRefusedException.Reason.MALFORMED);
        }
        if (f.length != 8 || !FORMAT.equals(f[0]) || !Ids.wellFormed(f[1]) || !Ids.wellFormed(f[2])
                || !Ids.wellFormed(f[3]) || !f[5].matches("[0-9]{1,12}") || !(f[6].equals("i") || f[6].equals("a"))) {
            throw new LinkRefusedException(LinkRefusedException.Reason.MALFORMED);
        }
        Key key = find(h, f[1]).orElseThrow(() -> new LinkRefusedException(LinkRefusedException.Reason.UNKNOWN_KEY));
        // Constant time: how much of a forged signature matched must not show in how long the refusal took. The
        // text is compared, not the bytes: base64 leaves the last character's low bits unused, and a token has
        // one spelling only (a changed character is a forgery even where it decodes to the same bytes).
        byte[] expected = ENCODER.encodeToString(mac(key.secret(), payload)).getBytes(StandardCharsets.US_ASCII);
        if (signature.length == 0
                || !MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            throw new LinkRefusedException(LinkRefusedException.Reason.BAD_SIGNATURE);
        }
        if (key.retired() != null) {
            throw new LinkRefusedException(LinkRefusedException.Reason.RETIRED_KEY);
        }
        Instant expires = Instant.ofEpochSecond(Long.parseLong(f[5]));
        if (!now.isBefore(expires)) {
            throw new LinkRefusedException(LinkRefusedException.Reason.EXPIRED);
        }
        return new Claims(f[1], f[2], f[3], f[4], expires,
                f[6].equals("i") ? LinkOptions.Disposition.INLINE : LinkOptions.Disposition.ATTACHMENT,
                f[7].isEmpty() ? Optional.empty() : Optional.of(f[7]));
    }

    /** The id of the key that signs now: the newest not retired, made when there is none (the first start). */
    String signingKey(Handle h, Instant now) {
        return h.createQuery("SELECT id FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, id DESC"
                        + " LIMIT 1")
                .mapTo(String.class).findOne().orElseGet(() -> create(h, now).id());
    }

    /** Makes a new key, which signs from now on; the others keep verifying. */
    SigningKey create(Handle h, Instant now) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String id = Ids.next(now.toEpochMilli());
        // Plain JDBC: JDBI would report the secret among the statement's parameters as a flight recorder event.
        Jdbc.update(h, "INSERT INTO signing_keys (id, secret, created_at) VALUES (?, ?, ?)", id,
                ENCODER.encodeToString(secret), now.toEpochMilli());
        return new SigningKey(id, Instant.ofEpochMilli(now.toEpochMilli()), Optional.empty());
    }

    /** Retires a key: links it signed are refused from now on. False when there is no such key not yet retired. */
    boolean retire(Handle h, String id, Instant now) {
        return Ids.wellFormed(id) && h.createUpdate("UPDATE signing_keys SET retired_at = :now WHERE id = :id"
                        + " AND retired_at IS NULL")
                .bind("now", now.toEpochMilli()).bind("id", id).execute() == 1;
    }

    /** Every key, oldest first, without secrets. */
    List<SigningKey> list(Handle h) {
        return h.createQuery("SELECT id, secret, created_at, retired_at FROM signing_keys ORDER BY created_at, id")
                .map((rs, ctx) -> key(rs).visible()).list();
    }

    private static Optional<Key> find(Handle h, String id) {
        return h.createQuery("SELECT id, secret, created_at, retired_at FROM signing_keys WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> key(rs)).findOne();
    }

    private static Key key(java.sql.ResultSet rs) throws java.sql.SQLException {
        long retired = rs.getLong("retired_at");
        boolean active = rs.wasNull();
        return new Key(rs.getString("id"), DECODER.decode(rs.getString("secret")),
                Instant.ofEpochMilli(rs.getLong("created_at")), active ? null : Instant.ofEpochMilli(retired));
    }

    private static byte[] mac(byte[] secret, String payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw StorageException.internal(null, "sign", "HMAC-SHA256 is not available", e);
        }
    }
}
