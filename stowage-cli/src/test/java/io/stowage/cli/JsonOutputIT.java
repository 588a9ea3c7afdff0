package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ls --json} and {@code stat --json}, parsed as a script would. */
class JsonOutputIT {

    @TempDir
    Path tmp;

    @Test
    void ls_json_is_one_array_and_stat_json_one_object_with_the_same_fields() throws Exception {
        LauncherRun.Run r = LauncherRun.bash(tmp, """
                printf 'hello' > a.txt
                "$STOWAGE" put a.txt 'docs/ünï "a".txt' --meta owner=ada > /dev/null
                "$STOWAGE" put a.txt docs/b.txt > /dev/null
                "$STOWAGE" put a.txt other.txt > /dev/null
                "$STOWAGE" ls --json docs/ > ls.json
                "$STOWAGE" stat --json docs/b.txt > stat.json
                "$STOWAGE" ls --json nothing-here/ > empty.json
                """, Map.of("PRIMARY_BACKEND", "local", "STOWAGE_HOME", "state"));
        assertThat(r.exitCode()).as(r.err()).isZero();

        ObjectMapper json = new ObjectMapper();
        JsonNode ls = json.readTree(tmp.resolve("work/ls.json").toFile());
        assertThat(ls.isArray()).isTrue();
        assertThat(ls).hasSize(2);
        JsonNode first = ls.get(0);
        assertThat(first.get("key").asText()).isEqualTo("docs/b.txt");
        assertThat(ls.get(1).get("key").asText()).isEqualTo("docs/ünï \"a\".txt");
        assertThat(first.get("size").asLong()).isEqualTo(5);
        assertThat(Instant.parse(first.get("modified").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(first.get("sha256").asText())
                .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");

        JsonNode stat = json.readTree(tmp.resolve("work/stat.json").toFile());
        assertThat(stat.isObject()).isTrue();
        assertThat(stat.get("key").asText()).isEqualTo("docs/b.txt");
        assertThat(stat.get("content_type").asText()).isEqualTo("text/plain");
        assertThat(stat.get("backend").asText()).isEqualTo("local");
        assertThat(stat.has("version_id")).isTrue();
        assertThat(stat.get("tier").isNull()).isTrue();
        assertThat(ls.get(1).get("metadata").get("owner").asText()).isEqualTo("ada");
        assertThat(json.readTree(tmp.resolve("work/empty.json").toFile())).isEmpty();
    }
}
