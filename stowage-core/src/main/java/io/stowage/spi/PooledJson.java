package io.stowage.spi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

/**
 * A Jackson factory whose buffers come from one pool shared by every thread (decision 0102). Jackson's default pool is
 * per thread, and every request runs on a virtual thread of its own, so each parse or answer made a recycler and its
 * buffers and threw them away. What reads sidecars, writes the catalog's JSON or the server's answers builds its
 * mapper on this.
 */
public final class PooledJson {

    private PooledJson() {
    }

    /** A new factory drawing its buffers from the shared pool. */
    public static JsonFactory factory() {
        return JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();
    }
}
