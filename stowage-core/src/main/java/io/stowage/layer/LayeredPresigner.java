package io.stowage.layer;

import io.stowage.BlobKey;
import io.stowage.Presigner;
import java.time.Duration;

/**
 * A backend's {@link Presigner} seen through one layer ({@link LayeredFeatures}): signing a GET
 * ({@code presign_get}) or a PUT ({@code presign_put}) is one metadata call. Most backends sign locally,
 * but a signature may need the backend's credentials service (a token, a remote signing call), which can
 * stall or fail like any other call.
 */
final class LayeredPresigner implements Presigner {

    private final Presigner presigner;
    private final LayeredFeatures.Around around;

    LayeredPresigner(Presigner presigner, LayeredFeatures.Around around) {
        this.presigner = presigner;
        this.around = around;
    }

    @Override
    public PresignedRequest presignGet(BlobKey key, Duration ttl, GetOverrides overrides) {
        return around.call(Operation.PRESIGN_GET, key, () -> presigner.presignGet(key, ttl, overrides));
    }

    @Override
    public PresignedRequest presignPut(BlobKey key, Duration ttl, PutConstraints constraints) {
        return around.call(Operation.PRESIGN_PUT, key, () -> presigner.presignPut(key, ttl, constraints));
    }
}
