package io.stowage.gcs;

import com.google.cloud.storage.contrib.nio.testing.StowageFakeStorageRpc;
import io.stowage.BlobStore;
import io.stowage.internal.CapabilityCheck;
import io.stowage.spi.BackendConfig;
import io.stowage.testkit.BlobStoreContract;
import java.util.Map;

/**
 * The whole contract against the GCS SDK's in-memory fake ({@code LocalStorageHelper}'s
 * {@code FakeStorageRpc}), labelled as such: there is no GCS emulator here. The store is the real
 * {@link GcsBlobStore} on the real SDK client; only the service behind the SDK is the fake, completed by
 * {@link StowageFakeStorageRpc} where the fake lacks behaviour GCS documents (byte-order listing with
 * page tokens, generations, metadata patches, invisible unfinished uploads, the bucket).
 *
 * <p>Limits of the fake, and how each is covered instead:
 * <ul>
 *   <li>Write preconditions: a single-request upload ignores {@code ifGenerationMatch=0}, and nothing is
 *       atomic, so create-only puts cannot be shown here. This run turns {@code conditional_put} off the
 *       way configuration does for any service without conditional writes, and the contract checks the
 *       store refuses create-only puts as UNSUPPORTED. {@code GcsRequestsTest} checks that a create-only
 *       put sends {@code ifGenerationMatch=0} and that GCS's 412 becomes ALREADY_EXISTS.
 *   <li>No noncurrent generations, so no versions: this run has {@code versioning} off (the contract
 *       checks the store says so); the requests of {@link GcsVersions} are checked in
 *       {@code GcsRequestsTest}.
 *   <li>No ETags and no generations of its own: {@link StowageFakeStorageRpc} stamps generations, which
 *       are this backend's entity tags, and enforces them on metadata patches. The fake's download path
 *       ignores the generation a read is pinned to; {@code GcsRequestsTest} checks it is sent.
 *   <li>Signed URLs point at the real service and need a service-account key: checked for shape and
 *       expiry, and their V4 signatures verified with the test key's public half, in
 *       {@code GcsPresignerTest}; here the presign capability holds but nothing is fetched.
 *   <li>The fake keeps everything in memory and copies each resumable chunk into one growing array,
 *       so the large round trip is the CI size (64 MiB) and the 300 MiB bounded-memory upload goes to
 *       a request-capturing server instead ({@code GcsLargeUploadTest}).
 *   <li>No errors, throttling or outages: translation is checked against recorded answers.
 * </ul>
 */
class GcsLocalStorageContractTest extends BlobStoreContract {

    static final int CHUNK = 2 * 1024 * 1024;

    @Override
    protected BlobStore createStore() {
        GcsBlobStoreConfig config = GcsBlobStoreConfig.from(BackendConfig.of("gcs",
                Map.of("bucket", "stowage-contract", "chunk_size", "2MiB")));
        GcsBlobStore store = new GcsBlobStore(config, StowageFakeStorageRpc.storage(CHUNK));
        return new CapabilityCheck(store, store.capabilities().withOverrides(Map.of("conditional_put", "false")));
    }
}
