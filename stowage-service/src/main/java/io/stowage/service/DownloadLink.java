package io.stowage.service;

import java.time.Instant;

/**
 * A signed download link: the token a URL carries ({@code /v1/links/{token}}), URL-safe as it is, and when it
 * stops working. The token names the file's version at signing time, its owner, the expiry and the
 * disposition, signed with HMAC-SHA256 under a key of the catalog; it holds no secret.
 *
 * @param token URL-safe base64 text, no padding
 * @param expiresAt when {@link StorageService#openLink} starts refusing it (to the second)
 * @param fileId the file it opens
 * @param versionId the version it opens (the current one when it was made)
 */
public record DownloadLink(String token, Instant expiresAt, String fileId, String versionId) {
}
