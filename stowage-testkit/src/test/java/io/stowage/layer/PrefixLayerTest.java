package io.stowage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.ListRequest;
import io.stowage.Listing;
import io.stowage.memory.MemoryBlobStore;
import org.junit.jupiter.api.Test;

class PrefixLayerTest {

    private final MemoryBlobStore backend = new MemoryBlobStore();
    private final PrefixLayer tenantA = new PrefixLayer(backend, "tenant-a/");
    private final PrefixLayer tenantB = new PrefixLayer(backend, "tenant-b/");

    @Test
    void objects_live_under_the_prefix_and_namespaces_do_not_see_each_other() {
        tenantA.put(BlobKey.of("docs/x.txt"), BlobContent.ofUtf8("a"));
        tenantB.put(BlobKey.of("docs/x.txt"), BlobContent.ofUtf8("b"));
        assertThat(backend.exists(BlobKey.of("tenant-a/docs/x.txt"))).isTrue();
        assertThat(new String(tenantA.get(BlobKey.of("docs/x.txt")).readAllBytes())).isEqualTo("a");
        assertThat(tenantA.stat(BlobKey.of("docs/x.txt")).key().value()).isEqualTo("docs/x.txt");
        assertThat(Listing.all(tenantB, "").map(i -> i.key().value()).toList()).containsExactly("docs/x.txt");
        assertThat(tenantA.list(ListRequest.folder("")).commonPrefixes()).containsExactly("docs/");
    }
}
