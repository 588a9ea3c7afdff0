package io.stowage.composite;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.Listing;
import io.stowage.PutOptions;
import io.stowage.journal.FileWriteJournal;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.BlobStoreContract;
import io.stowage.testkit.FaultyBlobStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole contract through a failover composite whose primary is down for the whole run: every write
 * goes to the fallback and into the journal, every read is served from where the journal says.
 *
 * <p>Two tests differ, by DESIGN §2 and decision 0008: {@link BlobInfo#backend()} names the store that
 * really holds the object (here the fallback), not the composite, so the caller can tell where a write
 * went during an outage.
 */
class FailoverStoreWhilePrimaryIsDownContractTest extends BlobStoreContract {

    /** The journal's folder: static, so it is there for the store opened before all tests and goes after. */
    @TempDir
    static Path journal;

    @Override
    protected BlobStore createStore() throws Exception {
        FaultyBlobStore primary = new FaultyBlobStore(new MemoryBlobStore("primary")).down();
        return new FailoverStore(primary, List.of(new MemoryBlobStore("fallback")),
                FileWriteJournal.open(journal));
    }

    @Test
    @Override
    public void the_backend_name_is_reported_on_put_stat_get_and_list() {
        BlobKey k = key("named.txt");
        assertThat(store().name()).isEqualTo("primary");
        assertThat(put(k, "x").backend()).isEqualTo("fallback");
        assertThat(store().stat(k).backend()).isEqualTo("fallback");
        try (BlobRead r = store().get(k)) {
            assertThat(r.info().backend()).isEqualTo("fallback");
        }
        assertThat(Listing.all(store(), prefix()).toList()).singleElement()
                .satisfies(i -> assertThat(i.backend()).isEqualTo("fallback"));
    }

    @Test
    @Override
    public void copy_copies_content_type_and_metadata_and_leaves_the_source() {
        BlobKey source = key("src/original.txt");
        BlobKey target = key("dst/copy.txt");
        Map<String, String> meta = Map.of("owner", "bob", "note", "naïve ✓");
        put(source, "copy me", PutOptions.builder().contentType("text/markdown").metadata(meta).build());
        BlobInfo copy = store().copy(source, target);
        assertThat(copy.key()).isEqualTo(target);
        assertThat(copy.size()).isEqualTo(7);
        assertThat(copy.backend()).isEqualTo("fallback");
        assertHolds(target, "copy me");
        assertHolds(source, "copy me");
        assertThat(store().stat(target).contentType()).isEqualTo("text/markdown");
        assertThat(store().stat(target).metadata()).isEqualTo(meta);
    }
}
