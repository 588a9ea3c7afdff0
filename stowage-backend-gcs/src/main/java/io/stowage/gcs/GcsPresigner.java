package io.stowage.gcs;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage.SignUrlOption;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.Presigner;
import io.stowage.StorageException;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * V4 signed URLs ({@code GOOG4-RSA-SHA256}), at most seven days. Signing needs credentials that can
 * sign: a service-account key ({@code credentials_file}) signs locally; application default
 * credentials on Google's infrastructure sign through the IAM API; a user's login cannot, which fails
 * with {@code UNSUPPORTED} naming the setting.
 */
final class GcsPresigner implements Presigner {

    private final GcsBlobStore store;

    GcsPresigner(GcsBlobStore store) {
        this.store = store;
    }

    @Override
    public PresignedRequest presignGet(BlobKey key, Duration ttl, GetOverrides overrides) {
        Duration t = Presigner.checkTtl(ttl);
        Map<String, String> query = new HashMap<>();
        overrides.contentType().ifPresent(ct -> query.put("response-content-type", ct));
        overrides.contentDisposition().ifPresent(cd -> query.put("response-content-disposition", cd));
        BlobInfo blob = BlobInfo.newBuilder(BlobId.of(store.config().bucket(), key.value())).build();
        return sign(key, blob, t, "GET", SignUrlOption.httpMethod(HttpMethod.GET), SignUrlOption.withQueryParams(query));
    }

    @Override
    public PresignedRequest presignPut(BlobKey key, Duration ttl, PutConstraints constraints) {
        Duration t = Presigner.checkTtl(ttl);
        BlobInfo.Builder blob = BlobInfo.newBuilder(BlobId.of(store.config().bucket(), key.value()));
        Map<String, String> headers = new HashMap<>();
        if (constraints.contentType().isPresent()) {
            // A V4 signature covers headers, not the V2 content-type field: sign it as a header.
            headers.put("Content-Type", constraints.contentType().get());
            return sign(key, blob.build(), t, "PUT", headers, SignUrlOption.httpMethod(HttpMethod.PUT),
                    SignUrlOption.withExtHeaders(headers));
        }
        return sign(key, blob.build(), t, "PUT", headers, SignUrlOption.httpMethod(HttpMethod.PUT));
    }

    private PresignedRequest sign(BlobKey key, BlobInfo blob, Duration ttl, String method, SignUrlOption... options) {
        return sign(key, blob, ttl, method, Map.of(), options);
    }

    private PresignedRequest sign(BlobKey key, BlobInfo blob, Duration ttl, String method, Map<String, String> headers,
            SignUrlOption... options) {
        List<SignUrlOption> all = new ArrayList<>(List.of(options));
        all.add(SignUrlOption.withV4Signature());
        // The SDK drops the port of a custom endpoint (an emulator's) unless it is named as the host.
        store.config().endpoint().ifPresent(e -> all.add(SignUrlOption.withHostName(e.toString())));
        Instant expires = Instant.now().plus(ttl);
        URL url;
        try {
            url = store.storage().signUrl(blob, ttl.toSeconds(), TimeUnit.SECONDS, all.toArray(SignUrlOption[]::new));
        } catch (IllegalStateException | IllegalArgumentException e) {
            // The SDK's way of saying the credentials cannot sign.
            throw StorageException.builder(ErrorKind.UNSUPPORTED).backend(store.name()).operation("presign")
                    .key(key.value()).cause(e).message("backend '" + store.name() + "' cannot sign URLs with "
                            + store.config().credentialsForMessages() + ": V4 signed URLs need a service account"
                            + " (a service-account key in credentials_file, or application default credentials"
                            + " of a service account)").build();
        } catch (RuntimeException e) {
            throw store.errors().translate(e, "presign", key);
        }
        try {
            return new PresignedRequest(method, url.toURI(), headers, expires);
        } catch (URISyntaxException e) {
            throw StorageException.internal(store.name(), "presign", "the SDK signed a malformed URL", e);
        }
    }
}
