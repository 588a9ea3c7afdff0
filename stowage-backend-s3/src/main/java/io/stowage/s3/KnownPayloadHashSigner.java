package io.stowage.s3;

import io.stowage.spi.io.Sha256;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4Properties;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4RequestSigner;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4RequestSigningResult;
import software.amazon.awssdk.http.auth.aws.internal.signer.util.CredentialUtils;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * The SDK's SigV4 signer, except for a request that arrives carrying the SHA-256 of its body in
 * {@code x-amz-content-sha256}: that one is signed with the given value instead of the SDK reading the body
 * once more to hash it (decision 0079). Over plain HTTP the SDK signs every body (decision 0062); a put
 * whose digest Stowage computed anyway (a single request's content, a part hashed from its buffer) would
 * otherwise be hashed twice. The value is sent and signed as it is, so a server that checks signed
 * payloads (S3, MinIO, s3proxy) refuses a body that does not match it, as it would the SDK's own.
 *
 * <p>Every other request (no such header, or one the SDK signs in chunks, with a flexible checksum, a
 * trailer, in the query string or anonymously) is signed by the SDK's signer, unchanged. Thread-safe.
 */
final class KnownPayloadHashSigner implements AwsV4HttpSigner {

    /** The header whose value is the hex SHA-256 of the body, as SigV4 names it. */
    static final String HEADER = "x-amz-content-sha256";

    private static final KnownPayloadHashSigner INSTANCE = new KnownPayloadHashSigner();

    private final AwsV4HttpSigner sdk = AwsV4HttpSigner.create();

    private KnownPayloadHashSigner() {
    }

    /** The SigV4 auth scheme with this signer, for {@code S3ClientBuilder.putAuthScheme}. */
    static AwsV4AuthScheme scheme() {
        return new AwsV4AuthScheme() {
            @Override
            public String schemeId() {
                return AwsV4AuthScheme.SCHEME_ID;
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return providers.identityProvider(AwsCredentialsIdentity.class);
            }

            @Override
            public AwsV4HttpSigner signer() {
                return INSTANCE;
            }
        };
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        Optional<String> known = request.request().firstMatchingHeader(HEADER);
        if (known.isEmpty() || !Sha256.isHex(known.get()) || !signedAsAWhole(request)) {
            return sdk.sign(request);
        }
        SdkHttpRequest signed = sign(request.request().toBuilder(), CredentialUtils.sanitizeCredentials(request.identity()),
                request.requireProperty(REGION_NAME), request.requireProperty(SERVICE_SIGNING_NAME),
                request.requireProperty(SIGNING_CLOCK, Clock.systemUTC()), request.requireProperty(DOUBLE_URL_ENCODE, true),
                request.requireProperty(NORMALIZE_PATH, true));
        return SignedRequest.builder().request(signed).payload(request.payload().orElse(null)).build();
    }

    private static SdkHttpRequest sign(SdkHttpRequest.Builder request, AwsCredentialsIdentity identity, String region,
            String service, Clock clock, boolean doubleUrlEncode, boolean normalizePath) {
        V4Properties properties = V4Properties.builder()
                .credentials(identity)
                .credentialScope(new CredentialScope(region, service, clock.instant()))
                .signingClock(clock)
                .doubleUrlEncode(doubleUrlEncode)
                .normalizePath(normalizePath)
                .build();
        // The header signer takes the payload's hash from x-amz-content-sha256, as it does after the SDK's
        // own checksummer has put it there; a body signed whole is sent as it is.
        V4RequestSigningResult signed = V4RequestSigner.header(properties).sign(request);
        return signed.getSignedRequest().build();
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        return sdk.signAsync(request);
    }

    /** Whether the SDK would sign this request's body whole in its headers (the case a known hash replaces). */
    private static boolean signedAsAWhole(SignRequest<? extends AwsCredentialsIdentity> request) {
        return request.payload().isPresent()
                && request.requireProperty(AUTH_LOCATION, AuthLocation.HEADER) == AuthLocation.HEADER
                && request.property(EXPIRATION_DURATION) == null
                && !Boolean.TRUE.equals(request.property(CHUNK_ENCODING_ENABLED))
                && !request.hasProperty(CHECKSUM_ALGORITHM)
                && request.request().firstMatchingHeader("x-amz-trailer").isEmpty()
                && !CredentialUtils.isAnonymous(request.identity());
    }
}
