package io.stowage.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code .env} file as the usual tools do: {@code NAME=value} lines, optional {@code export},
 * {@code #} comments, single or double quotes (double quotes understand {@code \n}, {@code \"} and
 * {@code \\}). Problems name the line, never its content (it may hold a secret).
 */
public final class DotEnvFile {

    private static final Pattern LINE = Pattern.compile("\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*(.*?)\\s*");

    private DotEnvFile() {
    }

    /** The variables of {@code file} (empty when it does not exist); problems are added to {@code problems}. */
    static Map<String, String> read(Path file, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), problems);
        } catch (IOException e) {
            problems.add(".env: cannot be read (" + e.getClass().getSimpleName() + ")");
            return out;
        }
    }

    /**
     * The variables {@code content} sets, in the file's order; a line that is not {@code NAME=value} or holds an
     * unterminated quote is left out and named in {@code problems}.
     */
    public static Map<String, String> parse(String content, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines = List.of(content.split("\r?\n", -1));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                problems.add(".env line " + (i + 1) + ": expected NAME=value");
                continue;
            }
            String value = unquote(m.group(2));
            if (value == null) {
                problems.add(".env line " + (i + 1) + ": " + m.group(1) + ": unterminated quote");
                continue;
            }
            out.put(m.group(1), value);
        }
        return out;
    }

    /** The name a {@code NAME=value} line sets (not a comment), if it is one. */
    public static java.util.Optional<String> nameOf(String line) {
        Matcher m = LINE.matcher(line);
        return line.stripLeading().startsWith("#") || !m.matches() ? java.util.Optional.empty()
                : java.util.Optional.of(m.group(1));
    }

    private static String unquote(String raw) {
        if (raw.startsWith("'")) {
            int end = raw.indexOf('\'', 1);
            return end < 0 ? null : raw.substring(1, end);
        }
        if (raw.startsWith("\"")) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\' && i + 1 < raw.length()) {
                    char n = raw.charAt(++i);
                    sb.append(switch (n) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> n;
                    });
                } else {
                    sb.append(c);
                }
            }
            return null;
        }
        // Unquoted: a " #" starts a comment.
        int hash = raw.indexOf(" #");
        return (hash >= 0 ? raw.substring(0, hash) : raw).strip();
    }
}
