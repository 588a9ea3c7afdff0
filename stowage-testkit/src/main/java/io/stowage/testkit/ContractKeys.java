package io.stowage.testkit;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Key fixtures of the contract: names every store must keep, and keys {@code BlobKey} must refuse. */
public final class ContractKeys {

    private ContractKeys() {
    }

    /** Valid names (relative to a test's prefix) that stores must keep exactly as given. */
    public static Stream<Arguments> unusualNames() {
        return Stream.of(
                Arguments.of("accents", "café/naïve résumé.txt"),
                Arguments.of("CJK", "文件夹/日本語のファイル名.txt"),
                Arguments.of("emoji (surrogate pairs)", "emoji-😀🎉/👩‍💻.bin"),
                Arguments.of("right-to-left", "עברית/שלום עולם.txt"),
                Arguments.of("Arabic with RTL mark", "مجلد/\u200fملف.pdf"),
                Arguments.of("URL-special characters", "sp ace/+plus&amp=eq?q#hash;semi:colon@at,comma!$'()*[]{}^`|~"),
                Arguments.of("percent sequences stay literal", "a%2Fb/%41%20%25%2e.txt"),
                Arguments.of("dots inside segments", ".hidden/..double/...triple/a.b.c"),
                Arguments.of("private use and replacement characters", "\uE000\uFFFD"));
    }

    /** Keys {@code BlobKey.of} refuses with {@code INVALID_KEY}: every pattern of DESIGN §2. */
    public static Stream<Arguments> invalidKeys() {
        return Stream.of(
                Arguments.of("empty key", ""),
                Arguments.of("'..' alone", ".."),
                Arguments.of("'.' alone", "."),
                Arguments.of("leading '..' segment", "../x"),
                Arguments.of("traversal to /etc/passwd", "a/../../etc/passwd"),
                Arguments.of("trailing '..' segment", "a/b/.."),
                Arguments.of("'.' segment", "a/./b"),
                Arguments.of("encoded traversal %2e%2e", "%2e%2e/x"),
                Arguments.of("mixed-case encoded traversal", "a/%2E%2e/b"),
                Arguments.of("half-encoded traversal", "a/.%2e/b"),
                Arguments.of("encoded '.' segment", "a/%2E/b"),
                Arguments.of("NUL", "a\u0000b"),
                Arguments.of("newline", "a\nb"),
                Arguments.of("carriage return", "a\rb"),
                Arguments.of("tab", "a\tb"),
                Arguments.of("escape", "a\u001bb"),
                Arguments.of("DEL", "a\u007fb"),
                Arguments.of("C1 control NEL", "a\u0085b"),
                Arguments.of("backslash", "a\\b"),
                Arguments.of("backslash traversal", "..\\..\\windows"),
                Arguments.of("empty segment", "a//b"),
                Arguments.of("leading slash", "/a"),
                Arguments.of("absolute path", "/etc/passwd"),
                Arguments.of("trailing slash", "a/"),
                Arguments.of("only a slash", "/"),
                Arguments.of("1025 ASCII bytes", "k".repeat(1025)),
                Arguments.of("1026 bytes of 2-byte characters", "é".repeat(513)),
                Arguments.of("1025 bytes ending in a 4-byte character", "k".repeat(1021) + "😀"),
                Arguments.of("unpaired high surrogate", "a\uD83Db"),
                Arguments.of("unpaired low surrogate", "a\uDE00b"),
                Arguments.of("high surrogate at the end", "a\uD83D"),
                Arguments.of("reversed surrogate pair", "a\uDE00\uD83D"));
    }
}
