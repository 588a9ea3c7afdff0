package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.ListRequest;
import io.stowage.Listing;
import io.stowage.Page;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Listing: UTF-8 byte order, pages and cursors, prefixes, folder-style listing. */
public interface ListTests extends ContractContext {

    /** UTF-8 byte order, computed independently of {@code BlobKey.compareUtf8}. */
    Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** Upper bound on pages, so a store whose cursor never ends fails instead of hanging. */
    int MAX_PAGES = 10_000;

    /** Writes a tiny object under each name (relative to the prefix) with a few threads. */
    private List<String> putAll(Collection<String> names) {
        List<String> keys = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<BlobInfo>> done = new ArrayList<>();
            for (String name : names) {
                BlobKey k = key(name);
                keys.add(k.value());
                done.add(pool.submit(() -> store().put(k, BlobContent.ofUtf8(name))));
            }
            for (Future<BlobInfo> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("put failed", e.getCause());
        }
        keys.sort(declaredOrder());
        return keys;
    }

    /**
     * The order the store says it lists in: UTF-8 bytes, or (Azure Blob) UTF-16 code units, which
     * {@link String#compareTo} is.
     */
    private Comparator<String> declaredOrder() {
        return store().capabilities().listUtf16Order() ? Comparator.naturalOrder() : UTF8_ORDER;
    }

    /** Every page of {@code request}, checking the limit of each. */
    private List<Page<BlobInfo>> pages(ListRequest request) {
        List<Page<BlobInfo>> pages = new ArrayList<>();
        ListRequest next = request;
        for (int i = 0; i < MAX_PAGES; i++) {
            Page<BlobInfo> page = store().list(next);
            assertThat(page.items().size() + page.commonPrefixes().size()).as("entries on page %d", i)
                    .isLessThanOrEqualTo(request.limit());
            pages.add(page);
            if (!page.hasMore()) {
                return pages;
            }
            next = request.withCursor(page.nextCursor().orElseThrow());
        }
        throw new AssertionError("listing did not end after " + MAX_PAGES + " pages");
    }

    private static List<String> keysOf(List<Page<BlobInfo>> pages) {
        return pages.stream().flatMap(p -> p.items().stream()).map(i -> i.key().value()).toList();
    }

    private static List<String> prefixesOf(List<Page<BlobInfo>> pages) {
        return pages.stream().flatMap(p -> p.commonPrefixes().stream()).toList();
    }

    /** 1,000 names mixing ASCII, accents, U+FFFD, private use and emoji, some in folders. */
    private static List<String> thousandNames() {
        String[] heads = {"k", "\uFFFD", "😀", "é", "\uE000", "d/", "Z", "~"};
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            names.add(heads[i % heads.length] + String.format("%04d", i));
        }
        return names;
    }

    @Test
    default void listing_1000_keys_in_pages_of_97_returns_each_key_once_in_utf8_byte_order() {
        List<String> expected = putAll(thousandNames());
        List<Page<BlobInfo>> pages = pages(new ListRequest(prefix(), null, null, 97));
        List<String> listed = keysOf(pages);
        assertThat(new HashSet<>(listed)).as("no duplicates").hasSize(listed.size());
        assertThat(listed).as("no gaps, UTF-8 byte order").containsExactlyElementsOf(expected);
        assertThat(pages.size()).isGreaterThanOrEqualTo(11);
        assertThat(prefixesOf(pages)).isEmpty();
        assertThat(Listing.all(store(), prefix()).map(i -> i.key().value()).toList()).containsExactlyElementsOf(expected);
        for (Page<BlobInfo> page : pages) {
            for (BlobInfo item : page.items()) {
                assertThat(item.size()).isEqualTo(item.key().value().substring(prefix().length())
                        .getBytes(StandardCharsets.UTF_8).length);
            }
        }
    }

    @Test
    default void listing_orders_keys_by_utf8_bytes_or_by_utf16_code_units_as_the_store_declares() {
        // In UTF-16 the emoji (a surrogate pair, D83D) sorts before U+FFFD and U+E000; in UTF-8 (F0...) after.
        List<String> names = List.of("\uFFFD", "😀", "\uE000", "z", "é", "a", "A", "中", "\uFFFDx", "😀/x");
        List<String> expected = putAll(names);
        if (store().capabilities().listUtf16Order()) {
            assertThat(expected).containsSubsequence(prefix() + "😀", prefix() + "\uE000", prefix() + "\uFFFD");
        } else {
            assertThat(expected).containsSubsequence(prefix() + "\uE000", prefix() + "\uFFFD", prefix() + "😀");
        }
        assertThat(listedKeys()).containsExactlyElementsOf(expected);
        assertThat(keysOf(pages(new ListRequest(prefix(), null, null, 3)))).containsExactlyElementsOf(expected);
    }

    @Test
    default void a_cursor_can_be_reused_and_gives_the_same_page() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            names.add(String.format("item-%02d", i));
        }
        List<String> expected = putAll(names);
        ListRequest first = new ListRequest(prefix(), null, null, 7);
        Page<BlobInfo> page1 = store().list(first);
        assertThat(page1.items()).hasSize(7);
        String cursor = page1.nextCursor().orElseThrow();
        Page<BlobInfo> page2 = store().list(first.withCursor(cursor));
        Page<BlobInfo> page2Again = store().list(first.withCursor(cursor));
        assertThat(page2Again.items()).extracting(i -> i.key().value())
                .containsExactlyElementsOf(page2.items().stream().map(i -> i.key().value()).toList());
        assertThat(page2.items()).extracting(i -> i.key().value()).containsExactlyElementsOf(expected.subList(7, 14));
        // A cursor stays valid after the listing moved on, and keys after it that appear later are seen.
        List<String> rest = keysOf(pages(first.withCursor(cursor)));
        assertThat(rest).containsExactlyElementsOf(expected.subList(7, 30));
        put(key("item-99"), "late");
        assertThat(keysOf(pages(first.withCursor(cursor)))).endsWith(prefix() + "item-99").hasSize(24);
        // A cursor may be used with another page size.
        assertThat(keysOf(pages(new ListRequest(prefix(), null, cursor, 100)))).hasSize(24);
    }

    @Test
    default void a_prefix_matches_keys_as_a_plain_string() {
        putAll(List.of("a", "a/x", "ab", "ab/c", "ab/d/e", "abc", "b", "b/ab/c"));
        assertThat(Listing.all(store(), prefix() + "a").map(i -> i.key().value().substring(prefix().length())))
                .containsExactly("a", "a/x", "ab", "ab/c", "ab/d/e", "abc");
        assertThat(Listing.all(store(), prefix() + "ab/").map(i -> i.key().value().substring(prefix().length())))
                .containsExactly("ab/c", "ab/d/e");
        assertThat(Listing.all(store(), prefix() + "abc").map(i -> i.key().value().substring(prefix().length())))
                .containsExactly("abc");
        assertThat(Listing.all(store(), prefix() + "b/").map(i -> i.key().value().substring(prefix().length())))
                .containsExactly("b/ab/c");
    }

    @Test
    default void a_folder_listing_rolls_deeper_keys_into_common_prefixes() {
        putAll(List.of("top/x.txt", "top/y.txt", "top/d1/a", "top/d1/b", "top/d2/deeper/c", "top/z.txt", "top-sibling"));
        Page<BlobInfo> page = store().list(ListRequest.folder(prefix() + "top/"));
        assertThat(page.items()).extracting(i -> i.key().value())
                .containsExactly(prefix() + "top/x.txt", prefix() + "top/y.txt", prefix() + "top/z.txt");
        assertThat(page.commonPrefixes()).containsExactly(prefix() + "top/d1/", prefix() + "top/d2/");
        assertThat(page.commonPrefixes()).allSatisfy(p -> assertThat(p).endsWith("/"));
        assertThat(page.hasMore()).isFalse();

        Page<BlobInfo> root = store().list(ListRequest.folder(prefix()));
        assertThat(root.items()).extracting(i -> i.key().value()).containsExactly(prefix() + "top-sibling");
        assertThat(root.commonPrefixes()).containsExactly(prefix() + "top/");
    }

    @Test
    default void a_folder_listing_pages_across_common_prefixes_without_repeating_them() {
        List<String> names = new ArrayList<>();
        List<String> expectedItems = new ArrayList<>();
        List<String> expectedPrefixes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String file = String.format("f/%02d-file", i);
            names.add(file);
            expectedItems.add(prefix() + file);
            if (i % 2 == 0) {
                String dir = String.format("f/%02d-dir/", i);
                for (int j = 0; j < 4; j++) {
                    names.add(dir + "n" + j);
                }
                expectedPrefixes.add(prefix() + dir);
            }
        }
        putAll(names);
        for (int limit : new int[] {1, 2, 3, 5, 1000}) {
            List<Page<BlobInfo>> pages = pages(new ListRequest(prefix() + "f/", "/", null, limit));
            assertThat(keysOf(pages)).as("items with limit %d", limit).containsExactlyElementsOf(expectedItems);
            assertThat(prefixesOf(pages)).as("common prefixes with limit %d", limit)
                    .containsExactlyElementsOf(expectedPrefixes);
        }
    }

    @Test
    default void listing_a_prefix_with_nothing_under_it_returns_an_empty_last_page() {
        Page<BlobInfo> page = store().list(ListRequest.prefix(prefix()));
        assertThat(page.items()).isEmpty();
        assertThat(page.commonPrefixes()).isEmpty();
        assertThat(page.hasMore()).isFalse();
        Page<BlobInfo> folder = store().list(ListRequest.folder(prefix() + "nothing/"));
        assertThat(folder.items()).isEmpty();
        assertThat(folder.commonPrefixes()).isEmpty();
        assertThat(folder.hasMore()).isFalse();
    }

    @Test
    default void an_invalid_cursor_fails_with_invalid_argument() {
        put(key("x"), "x");
        assertFails(ErrorKind.INVALID_ARGUMENT,
                () -> store().list(ListRequest.prefix(prefix()).withCursor("not a cursor!%*")));
    }

    @Test
    default void an_invalid_list_request_fails_with_invalid_argument() {
        assertFails(ErrorKind.INVALID_ARGUMENT, () -> new ListRequest(prefix(), null, null, 0));
        assertFails(ErrorKind.INVALID_ARGUMENT, () -> new ListRequest(prefix(), "|", null, 10));
        assertFails(ErrorKind.INVALID_ARGUMENT, () -> ListRequest.prefix("../"));
        assertFails(ErrorKind.INVALID_ARGUMENT, () -> ListRequest.prefix("/abs"));
        Set<String> none = Set.copyOf(listedKeys());
        assertThat(none).isEmpty();
    }
}
