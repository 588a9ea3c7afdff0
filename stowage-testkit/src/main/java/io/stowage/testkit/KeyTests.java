package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.ListRequest;
import io.stowage.Listing;
import io.stowage.Page;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every valid key is kept exactly; every invalid one is refused before a store sees it. */
public interface KeyTests extends ContractContext {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.stowage.testkit.ContractKeys#unusualNames")
    default void unusual_but_valid_keys_round_trip(String what, String name) {
        BlobKey k = key(name);
        put(k, what);
        assertHolds(k, what);
        assertThat(store().stat(k).key()).isEqualTo(k);
        assertThat(store().exists(k)).isTrue();
        assertThat(listedKeys()).containsExactly(k.value());
        assertThat(store().delete(k)).isTrue();
        assertThat(store().exists(k)).isFalse();
    }

    @Test
    default void a_deep_key_of_20_segments_round_trips() {
        List<String> segments = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            segments.add("level" + i);
        }
        BlobKey k = key(String.join("/", segments));
        put(k, "deep");
        assertHolds(k, "deep");
        assertThat(listedKeys()).containsExactly(k.value());
        Page<BlobInfo> top = store().list(ListRequest.folder(prefix()));
        assertThat(top.items()).isEmpty();
        assertThat(top.commonPrefixes()).containsExactly(prefix() + "level0/");
    }

    @Test
    default void a_key_and_keys_below_it_both_exist_and_both_list() {
        BlobKey a = key("a");
        BlobKey ab = key("a/b");
        BlobKey abc = key("a/b/c");
        put(a, "file a");
        put(ab, "file a/b");
        put(abc, "file a/b/c");
        assertHolds(a, "file a");
        assertHolds(ab, "file a/b");
        assertHolds(abc, "file a/b/c");
        assertThat(listedKeys()).containsExactly(a.value(), ab.value(), abc.value());
        Page<BlobInfo> folder = store().list(ListRequest.folder(prefix()));
        assertThat(folder.items()).extracting(BlobInfo::key).containsExactly(a);
        assertThat(folder.commonPrefixes()).containsExactly(prefix() + "a/");
        Page<BlobInfo> below = store().list(ListRequest.folder(prefix() + "a/"));
        assertThat(below.items()).extracting(BlobInfo::key).containsExactly(ab);
        assertThat(below.commonPrefixes()).containsExactly(prefix() + "a/b/");
        // Removing the "file" leaves the "folder" content alone, and the other way round.
        assertThat(store().delete(a)).isTrue();
        assertHolds(ab, "file a/b");
        put(a, "file a again");
        assertThat(store().delete(ab)).isTrue();
        assertThat(store().delete(abc)).isTrue();
        assertHolds(a, "file a again");
        assertThat(listedKeys()).containsExactly(a.value());
    }

    @Test
    default void a_segment_longer_than_255_bytes_round_trips() {
        BlobKey ascii = key("long/" + "s".repeat(300) + "/end");
        BlobKey multibyte = key("é".repeat(150) + ".txt");
        put(ascii, "ascii");
        put(multibyte, "multibyte");
        assertHolds(ascii, "ascii");
        assertHolds(multibyte, "multibyte");
        assertThat(listedKeys()).containsExactly(ascii.value(), multibyte.value());
        assertThat(store().delete(ascii)).isTrue();
        assertThat(store().exists(ascii)).isFalse();
        assertThat(store().exists(multibyte)).isTrue();
    }

    @Test
    default void two_long_segments_sharing_their_first_255_bytes_are_distinct() {
        String common = "c".repeat(255);
        BlobKey one = key(common + "-one");
        BlobKey two = key(common + "-two");
        put(one, "one");
        put(two, "two");
        assertHolds(one, "one");
        assertHolds(two, "two");
        assertThat(listedKeys()).containsExactly(one.value(), two.value());
    }

    @Test
    default void a_key_of_1024_bytes_of_multibyte_characters_is_accepted_and_round_trips() {
        int room = BlobKey.MAX_BYTES - prefix().getBytes(StandardCharsets.UTF_8).length;
        // 3-byte characters with up to two 1-byte ones to land exactly on 1024 bytes.
        String name = "中".repeat(room / 3) + "x".repeat(room % 3);
        BlobKey k = key(name);
        assertThat(k.utf8Length()).isEqualTo(BlobKey.MAX_BYTES);
        put(k, "max");
        assertHolds(k, "max");
        assertThat(listedKeys()).containsExactly(k.value());
        assertFails(ErrorKind.INVALID_KEY, () -> key(name + "x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.stowage.testkit.ContractKeys#invalidKeys")
    default void an_invalid_key_is_refused_with_invalid_key_before_any_store_sees_it(String what, String raw) {
        assertThat(BlobKey.isValid(raw)).isFalse();
        assertFails(ErrorKind.INVALID_KEY, () -> BlobKey.of(raw));
        // Under a test prefix the pattern stays invalid: nothing a caller appends can escape it.
        assertFails(ErrorKind.INVALID_KEY, () -> BlobKey.of(prefix() + raw));
        assertFails(ErrorKind.INVALID_KEY, () -> BlobKey.join(prefix() + "folder", raw));
        assertThat(listedKeys()).isEmpty();
    }

    @Test
    default void keys_differing_only_in_case_are_distinct() {
        BlobKey lower = key("readme.md");
        BlobKey upper = key("README.md");
        put(lower, "lower");
        put(upper, "upper");
        assertHolds(lower, "lower");
        assertHolds(upper, "upper");
        assertThat(listedKeys()).containsExactly(upper.value(), lower.value());
    }

    @Test
    default void keys_differing_only_in_unicode_normalization_are_distinct() {
        String nfc = Normalizer.normalize("café", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize("café", Normalizer.Form.NFD);
        assertThat(nfc).isNotEqualTo(nfd);
        BlobKey composed = key(nfc);
        BlobKey decomposed = key(nfd);
        put(composed, "composed");
        put(decomposed, "decomposed");
        assertHolds(composed, "composed");
        assertHolds(decomposed, "decomposed");
        assertThat(listedKeys()).containsExactlyInAnyOrder(composed.value(), decomposed.value());
        assertThat(Listing.all(store(), prefix()).map(i -> i.key().value()).toList()).hasSize(2);
    }
}
