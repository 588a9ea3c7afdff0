package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.service.auth.OwnerIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The forms every request checks (an id, an owner, an API key) are checked by hand (decision 0082): they accept
 * exactly what the regular expressions they replaced accepted, over edge cases and many random near misses.
 */
class FormChecksTest {

    private static final String ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final Pattern ID = Pattern.compile("[0-9abcdefghjkmnpqrstvwxyz]{26}");
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    private static final Pattern KEY = Pattern.compile("stw_([0-9abcdefghjkmnpqrstvwxyz]{26})_([0-9a-f]{64})");
    /** Characters near every class's edges: neighbours of 0-9, a-z, A-Z, the four excluded letters, the separators. */
    private static final String NEAR = "/09:@AZ[`az{ilou._-~ \u00e9\u0000" + ID_ALPHABET + "ABCDEFfg";

    private final Random random = new Random(82);

    @Test
    void an_id_is_checked_as_its_regular_expression_checked_it() {
        List<String> cases = variants(Ids.next(System.currentTimeMillis()));
        cases.addAll(List.of("", "0".repeat(26), "z".repeat(26), "i".repeat(26), "0".repeat(25), "0".repeat(27)));
        same(cases, s -> ID.matcher(s).matches(), Ids::wellFormed);
        assertThat(Ids.wellFormed(null)).isFalse();
    }

    @Test
    void an_owner_is_checked_as_its_regular_expression_checked_it() {
        List<String> cases = variants("alice.b_c@d-e");
        cases.addAll(List.of("", "a", ".a", "-", "a".repeat(128), "a".repeat(129), "A9", "9a@", "a b"));
        for (int i = 0; i < 2000; i++) {
            cases.add(randomOf(NEAR, 1 + random.nextInt(6)));
        }
        same(cases, s -> OWNER.matcher(s).matches(), OwnerIds::valid);
        assertThat(OwnerIds.valid(null)).isFalse();
    }

    @Test
    void an_api_key_is_checked_as_its_regular_expression_checked_it() {
        String key = "stw_" + Ids.next(System.currentTimeMillis()) + "_" + randomOf("0123456789abcdef", 64);
        List<String> cases = variants(key);
        cases.addAll(List.of("", "stw_", key.toUpperCase(java.util.Locale.ROOT), key.replace("stw_", "stx_"),
                key.substring(0, 30) + "-" + key.substring(31), key + "0", key.substring(1)));
        same(cases, s -> KEY.matcher(s).matches(), ApiKeyCatalog::wellFormed);
        assertThat(ApiKeyCatalog.wellFormed(null)).isFalse();
    }

    /** {@code valid}, and it with each character replaced by each near character, one dropped, one added. */
    private List<String> variants(String valid) {
        List<String> out = new ArrayList<>();
        out.add(valid);
        for (int i = 0; i < valid.length(); i++) {
            for (char c : NEAR.toCharArray()) {
                out.add(valid.substring(0, i) + c + valid.substring(i + 1));
            }
            out.add(valid.substring(0, i) + valid.substring(i + 1));
            out.add(valid.substring(0, i) + NEAR.charAt(random.nextInt(NEAR.length())) + valid.substring(i));
        }
        return out;
    }

    private String randomOf(String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static void same(List<String> cases, Predicate<String> regex, Predicate<String> byHand) {
        int accepted = 0;
        for (String s : cases) {
            assertThat(byHand.test(s)).as("'%s'", s).isEqualTo(regex.test(s));
            accepted += regex.test(s) ? 1 : 0;
        }
        // Both sides of the line are exercised.
        assertThat(accepted).isPositive().isLessThan(cases.size());
    }
}
