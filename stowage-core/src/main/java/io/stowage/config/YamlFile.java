package io.stowage.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code stowage.yaml} into flat settings ({@code primary}, {@code fallback},
 * {@code backends.aws_hot.bucket}, {@code backends.x.capabilities.conditional_put},
 * {@code tiers.COLD}, {@code layers.retry.max_attempts}, {@code mirror_mode}, {@code health_interval}), each with the line it came from, resolving {@code ${NAME}} (and
 * {@code ${NAME:-default}}) from the environment.
 */
final class YamlFile {

    /** One flattened value and the line it is on. */
    record Entry(String key, String value, int line) {
    }

    static final List<String> TOP_LEVEL = List.of("backends", "primary", "fallback", "fallback_on", "mirror", "mirror_mode", "tiers",
            "layers", "health_interval", "home");

    private static final Pattern REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String fileLabel;
    private final Function<String, String> environment;
    private final List<String> problems;
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> sections;
    private final List<String> known;

    private YamlFile(String fileLabel, Function<String, String> environment, Set<String> sections,
                     Set<String> declaredSections, List<String> problems) {
        this.fileLabel = fileLabel;
        this.environment = environment;
        this.problems = problems;
        this.sections = sections;
        List<String> k = new ArrayList<>(TOP_LEVEL);
        k.addAll(declaredSections);
        this.known = k;
    }

    /**
     * The settings of {@code file}; problems (syntax, structure, missing variables) are added to
     * {@code problems}, each naming the file and line. Top-level keys in {@code sections} are flattened as
     * sections ({@code server.port}); others than Stowage's own and those are reported, naming Stowage's
     * own and {@code declaredSections} as the known ones.
     */
    static List<Entry> read(Path file, Function<String, String> environment, Set<String> sections,
                            Set<String> declaredSections, List<String> problems) {
        YamlFile y = new YamlFile(file.getFileName().toString(), environment, sections, declaredSections, problems);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             JsonParser p = FACTORY.createParser(r)) {
            Node root = y.readNode(p, p.nextToken());
            if (root != null) {
                y.top(root);
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            problems.add(y.at(line) + "not valid YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            problems.add(y.fileLabel + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return y.entries;
    }

    // ---- a tiny tree that remembers lines --------------------------------------------------

    private sealed interface Node permits Scalar, MapNode, ListNode {
        int line();
    }

    private record Scalar(String text, int line) implements Node {
    }

    private record MapNode(Map<String, Node> children, int line) implements Node {
    }

    private record ListNode(List<Node> items, int line) implements Node {
    }

    private Node readNode(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            return null;
        }
        int line = p.currentTokenLocation().getLineNr();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> children = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    Node child = readNode(p, p.nextToken());
                    children.put(name, child == null ? new Scalar(null, p.currentTokenLocation().getLineNr()) : child);
                }
                return new MapNode(children, line);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY && next != null) {
                    items.add(readNode(p, next));
                }
                return new ListNode(items, line);
            }
            case VALUE_NULL -> {
                return new Scalar(null, line);
            }
            default -> {
                return new Scalar(p.getText(), line);
            }
        }
    }

    // ---- structure -------------------------------------------------------------------------

    private void top(Node root) {
        if (!(root instanceof MapNode map)) {
            problems.add(at(root.line()) + "expected a mapping of settings (backends, primary, ...)");
            return;
        }
        map.children().forEach((name, node) -> {
            switch (name) {
                case "primary", "home", "mirror_mode", "health_interval" -> scalar(name, node);
                case "layers" -> layers(node);
                case "fallback", "mirror" -> list(name, node, "backend names");
                case "fallback_on" -> list(name, node, "reasons (outage, refusal)");
                case "tiers" -> tiers(node);
                case "backends" -> backends(node);
                default -> {
                    if (sections.contains(name)) {
                        section(name, node);
                    } else {
                        problems.add(at(node.line()) + "unknown setting '" + name + "' (known: "
                                + String.join(", ", known) + ")");
                    }
                }
            }
        });
    }

    private void backends(Node node) {
        if (!(node instanceof MapNode map)) {
            problems.add(at(node.line()) + "backends: expected a mapping of backend names to their settings");
            return;
        }
        map.children().forEach((name, settings) -> {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                problems.add(at(settings.line()) + "backends." + name
                        + ": a backend name uses letters, digits, '_' and '-' only");
                return;
            }
            if (!(settings instanceof MapNode m)) {
                problems.add(at(settings.line()) + "backends." + name + ": expected a mapping such as { type: local }");
                return;
            }
            flatten("backends." + name, m, false);
        });
    }

    private void layers(Node node) {
        if (!(node instanceof MapNode map)) {
            problems.add(at(node.line()) + "layers: expected a mapping such as { retry: { max_attempts: 5 } }");
            return;
        }
        flatten("layers", map, false);
    }

    private void section(String name, Node node) {
        if (!(node instanceof MapNode map)) {
            problems.add(at(node.line()) + name + ": expected a mapping of settings");
            return;
        }
        flatten(name, map, true);
    }

    /** Nested keys joined with dots; lists (joined with commas) only where {@code lists} allows them. */
    private void flatten(String prefix, MapNode map, boolean lists) {
        map.children().forEach((k, v) -> {
            String key = prefix + "." + k;
            if (v instanceof MapNode m) {
                flatten(key, m, lists);
            } else if (lists && v instanceof ListNode) {
                list(key, v, "values");
            } else {
                scalar(key, v);
            }
        });
    }

    private void tiers(Node node) {
        if (!(node instanceof MapNode map)) {
            problems.add(at(node.line()) + "tiers: expected a mapping such as { HOT: hot_files }");
            return;
        }
        map.children().forEach((tier, v) -> scalar("tiers." + tier, v));
    }

    private void list(String key, Node node, String what) {
        List<String> names = new ArrayList<>();
        if (node instanceof ListNode l) {
            for (Node item : l.items()) {
                if (!(item instanceof Scalar s) || s.text() == null) {
                    problems.add(at(item == null ? l.line() : item.line()) + key + ": expected a list of " + what);
                    return;
                }
                String v = interpolate(key, s.text(), s.line());
                if (v != null) {
                    names.add(v.trim());
                }
            }
            entries.add(new Entry(key, String.join(",", names), node.line()));
        } else if (node instanceof Scalar) {
            scalar(key, node);
        } else {
            problems.add(at(node.line()) + key + ": expected a list of " + what);
        }
    }

    private void scalar(String key, Node node) {
        if (!(node instanceof Scalar s)) {
            problems.add(at(node.line()) + key + ": expected a single value");
            return;
        }
        if (s.text() == null) {
            return;
        }
        String v = interpolate(key, s.text(), s.line());
        if (v != null) {
            entries.add(new Entry(key, v, s.line()));
        }
    }

    /** Replaces {@code ${NAME}}; a missing variable is a problem and the value is dropped. */
    private String interpolate(String key, String text, int line) {
        Matcher m = REF.matcher(text);
        StringBuilder sb = new StringBuilder();
        boolean ok = true;
        while (m.find()) {
            String v = environment.apply(m.group(1));
            if (v == null) {
                v = m.group(2);
            }
            if (v == null) {
                problems.add(at(line) + key + ": environment variable " + m.group(1) + " is not set");
                ok = false;
                v = "";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return ok ? sb.toString() : null;
    }

    private String at(int line) {
        return fileLabel + (line > 0 ? " line " + line : "") + ": ";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        // The parser's message may quote the offending line, which could hold a secret: keep only the first line.
        String first = message.lines().findFirst().orElse("syntax error").trim();
        int in = first.indexOf(" in 'reader'");
        return in > 0 ? first.substring(0, in) : first;
    }
}
