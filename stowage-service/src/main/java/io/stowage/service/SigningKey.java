package io.stowage.service;

import java.time.Instant;
import java.util.Optional;

/**
 * A key that signs download links, as an administrator sees it: never its secret. The newest key not
 * retired signs new links; every key not retired verifies the links it signed.
 *
 * @param id the key id links carry
 * @param created when it was made
 * @param retired when it was retired: links it signed are refused from then on
 */
public record SigningKey(String id, Instant created, Optional<Instant> retired) {
}
