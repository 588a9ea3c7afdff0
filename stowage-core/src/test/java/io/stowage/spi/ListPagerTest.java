package io.stowage.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ListPagerTest {

    private static final List<String> KEYS = Stream.of("a", "a/1", "a/2", "a/x/deep", "ab", "b/1", "b/2", "c", "é", "😀")
            .sorted(BlobKey::compareUtf8).toList();

    private static Page<BlobInfo> page(ListRequest request) {
        return ListPager.page(request, KEYS.iterator(), k -> k, k -> BlobInfo.builder(BlobKey.of(k)).size(1).build());
    }

    private static List<String> items(Page<BlobInfo> p) {
        return p.items().stream().map(i -> i.key().value()).toList();
    }

    /** Every page of {@code request}; returns items and prefixes in order, each as listed. */
    private static List<String> all(ListRequest request) {
        List<String> out = new ArrayList<>();
        ListRequest next = request;
        for (int i = 0; i < 100; i++) {
            Page<BlobInfo> p = page(next);
            assertThat(p.items().size() + p.commonPrefixes().size()).isLessThanOrEqualTo(request.limit());
            out.addAll(items(p));
            out.addAll(p.commonPrefixes());
            if (!p.hasMore()) {
                return out;
            }
            next = request.withCursor(p.nextCursor().orElseThrow());
        }
        throw new AssertionError("no end");
    }

    @Test
    void a_prefix_listing_returns_matching_keys_in_order() {
        assertThat(items(page(ListRequest.prefix("a")))).containsExactly("a", "a/1", "a/2", "a/x/deep", "ab");
        assertThat(items(page(ListRequest.prefix("")))).containsExactlyElementsOf(KEYS);
        assertThat(page(ListRequest.prefix("zzz")).items()).isEmpty();
    }

    @Test
    void pages_of_any_size_cover_every_key_once() {
        for (int limit = 1; limit <= KEYS.size() + 1; limit++) {
            assertThat(all(new ListRequest("", null, null, limit))).as("limit %d", limit).containsExactlyElementsOf(KEYS);
        }
    }

    @Test
    void a_folder_listing_rolls_up_common_prefixes_once_across_pages() {
        Page<BlobInfo> top = page(ListRequest.folder(""));
        assertThat(items(top)).containsExactly("a", "ab", "c", "é", "😀");
        assertThat(top.commonPrefixes()).containsExactly("a/", "b/");
        for (int limit = 1; limit <= 8; limit++) {
            List<String> listed = all(new ListRequest("", "/", null, limit));
            assertThat(listed).as("limit %d", limit)
                    .containsExactlyInAnyOrder("a", "a/", "ab", "b/", "c", "é", "😀");
        }
        Page<BlobInfo> a = page(ListRequest.folder("a/"));
        assertThat(items(a)).containsExactly("a/1", "a/2");
        assertThat(a.commonPrefixes()).containsExactly("a/x/");
    }

    @Test
    void the_cursor_is_durable_text_and_round_trips() {
        String cursor = ListPager.encodeCursor("a/é/😀");
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(ListPager.decodeCursor(cursor)).isEqualTo("a/é/😀");
        Page<BlobInfo> first = page(new ListRequest("", null, null, 3));
        Page<BlobInfo> again = page(new ListRequest("", null, first.nextCursor().orElseThrow(), 3));
        Page<BlobInfo> twice = page(new ListRequest("", null, first.nextCursor().orElseThrow(), 3));
        assertThat(items(again)).isEqualTo(items(twice)).containsExactly("a/x/deep", "ab", "b/1");
    }

    @Test
    void enumeration_starts_at_the_prefix_or_after_the_cursor() {
        assertThat(ListPager.startAfterOrAt(ListRequest.prefix("b"))).isEqualTo("b");
        assertThat(ListPager.startAfterOrAt(ListRequest.prefix("a").withCursor(ListPager.encodeCursor("a/2")))).isEqualTo("a/2");
    }

    @Test
    void a_malformed_cursor_is_an_invalid_argument() {
        for (String bad : new String[] {"!!!", "a b", ""}) {
            assertThatThrownBy(() -> ListPager.decodeCursor(bad)).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
    }
}
