package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/stowage} as a real process against the packaged jar (failsafe, after
 * {@code package}), from another working directory, under the C locale.
 *
 * <p>The non-ASCII names live only in a UTF-8 shell script: this JVM may itself run under
 * {@code LANG=C}, where it could not even create such a file.
 */
class LauncherIT {

    @TempDir
    Path tmp;

    private LauncherRun.Run bash(String script, Map<String, String> extraEnv) throws IOException, InterruptedException {
        return LauncherRun.bash(tmp, script, extraEnv);
    }

    @Test
    void non_ascii_file_names_round_trip_under_the_c_locale_from_another_directory() throws Exception {
        LauncherRun.Run r = bash("""
                head -c 67108864 /dev/urandom > 'фото ünï €.bin'
                "$STOWAGE" put 'фото ünï €.bin' 'docs/фото ünï €.bin'
                "$STOWAGE" ls docs/
                "$STOWAGE" get 'docs/фото ünï €.bin' 'back ünï.bin'
                cmp 'фото ünï €.bin' 'back ünï.bin'
                "$STOWAGE" get 'docs/фото ünï €.bin' - | cmp - 'фото ünï €.bin'
                echo ROUNDTRIP-OK
                test -d state/data
                set +e
                "$STOWAGE" stat missing/key
                echo "missing-rc=$?"
                """, Map.of("PRIMARY_BACKEND", "local", "STOWAGE_HOME", "state",
                // A heap far smaller than the file: the CLI and the local backend must stream.
                "JAVA_OPTS", "-Xmx24m"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("InvalidPathException").doesNotContain("OutOfMemoryError");
        assertThat(r.out()).contains("stored docs/фото ünï €.bin  67108864 bytes")
                .containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +67108864 docs/фото ünï €\\.bin")
                .contains("ROUNDTRIP-OK")
                .contains("missing-rc=4");
        assertThat(r.err().strip()).isEqualTo("stowage: no blob 'missing/key' in backend 'local'");
    }

    @Test
    void an_azure_endpoint_nobody_answers_on_prints_one_line_and_no_jvm_or_sdk_noise() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        LauncherRun.Run r = bash("""
                echo hello > hello.txt
                set +e
                "$STOWAGE" put hello.txt hello.txt
                echo "put-rc=$?"
                """, Map.of("PRIMARY_BACKEND", "azure_blob", "AZURE_ACCOUNT_NAME", "devstoreaccount1",
                "AZURE_ACCOUNT_KEY", "c2VjcmV0LWtleS1mb3ItdGhlLWxhdW5jaGVyLXRlc3Q=", "AZURE_CONTAINER_NAME", "files",
                "AZURE_STORAGE_ENDPOINT", "http://127.0.0.1:" + closed + "/devstoreaccount1"));
        assertThat(r.out()).contains("put-rc=16");
        // Netty inside the Azure SDK would have the JDK print warnings, and the SDK logs each refused
        // connection at ERROR: neither reaches the user, whose one line says what failed.
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("stowage: backend 'azure_blob' is unreachable").contains(String.valueOf(closed))
                .doesNotContain("c2VjcmV0");
    }

    @Test
    void every_log_line_of_one_command_carries_the_same_correlation_id_and_the_next_command_another()
            throws Exception {
        LauncherRun.Run r = bash("""
                echo hello > a.txt
                "$STOWAGE" put a.txt docs/a.txt
                "$STOWAGE" cp --no-clobber docs/a.txt docs/b.txt
                """, Map.of("PRIMARY_BACKEND", "local", "STOWAGE_HOME", "state", "LOG_LEVEL", "debug"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("op=(\\w+) .*correlation_id=(\\S+)");
        Map<String, String> idOf = new java.util.LinkedHashMap<>();
        r.err().lines().map(line::matcher).filter(java.util.regex.Matcher::find)
                .forEach(m -> idOf.put(m.group(1), m.group(2)));
        assertThat(idOf).as(r.err()).containsOnlyKeys("put", "exists", "copy");
        assertThat(idOf.get("exists")).matches("cli-[0-9a-f]{12}").isEqualTo(idOf.get("copy"));
        assertThat(idOf.get("put")).matches("cli-[0-9a-f]{12}").isNotEqualTo(idOf.get("copy"));
        assertThat(r.err()).as("slf4j announces nothing").doesNotContain("SLF4J(");
    }

    @Test
    void at_debug_level_every_line_a_command_logs_carries_its_correlation_id_even_those_before_it_starts()
            throws Exception {
        LauncherRun.Run r = bash("""
                "$STOWAGE" ls
                """, Map.of("PRIMARY_BACKEND", "local", "STOWAGE_HOME", "state", "LOG_LEVEL", "debug"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        java.util.List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("lines logged").hasSizeGreaterThan(1)
                .allMatch(l -> l.matches(".*correlation_id=cli-[0-9a-f]{12}\\b.*"), "carries a correlation id");
        assertThat(lines.stream().map(l -> l.replaceAll(".*correlation_id=(cli-[0-9a-f]{12}).*", "$1")).distinct())
                .as("one id for the command").hasSize(1);
    }

    @Test
    void help_works_from_any_directory_and_java_opts_reach_the_jvm() throws Exception {
        LauncherRun.Run r = bash("""
                "$STOWAGE" --help
                "$STOWAGE" --version
                """, Map.of("JAVA_OPTS", "-Dstowage.test=1 -Xmx64m"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Usage: stowage").contains("Exit codes:").contains("stowage 0.");

        LauncherRun.Run bad = bash("\"$STOWAGE\" --help\n", Map.of("JAVA_OPTS", "-Xmx1k"));
        assertThat(bad.exitCode()).isNotZero();
    }

    @Test
    void a_small_file_is_put_with_the_first_jit_tier_alone_and_a_large_one_or_stdin_with_both() throws Exception {
        // -XX:+PrintCommandLineFlags: the JVM prints the flags it was started with on stdout (decision 0062).
        LauncherRun.Run r = bash("""
                head -c 1000 /dev/zero > small.bin
                head -c 17000000 /dev/zero > large.bin
                echo "== small"; "$STOWAGE" put --meta a=b small.bin s
                echo "== large"; "$STOWAGE" put large.bin l
                echo "== stdin"; head -c 10 /dev/zero | "$STOWAGE" put - i
                echo "== get"; "$STOWAGE" get s got.bin && echo got
                """, Map.of("PRIMARY_BACKEND", "local", "STOWAGE_HOME", "state", "STOWAGE_CDS", "off",
                "JAVA_OPTS", "-XX:+PrintCommandLineFlags"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        String small = r.out().substring(r.out().indexOf("== small"), r.out().indexOf("== large"));
        String large = r.out().substring(r.out().indexOf("== large"), r.out().indexOf("== stdin"));
        String stdin = r.out().substring(r.out().indexOf("== stdin"), r.out().indexOf("== get"));
        String get = r.out().substring(r.out().indexOf("== get"));
        assertThat(small).contains("-XX:TieredStopAtLevel=1").contains("stored s  1000 bytes");
        assertThat(large).doesNotContain("TieredStopAtLevel").contains("stored l  17000000 bytes");
        assertThat(stdin).doesNotContain("TieredStopAtLevel").contains("stored i  10 bytes");
        assertThat(get).contains("-XX:TieredStopAtLevel=1").contains("got");
        // Decision 0099: short and transfer commands compile fewer methods, at twenty times the JIT's thresholds.
        for (String run : List.of(small, large, stdin, get)) {
            assertThat(run).contains("-XX:CompileThresholdScaling=20");
        }
    }

    @Test
    void the_java_version_comes_from_the_jdks_release_file_without_starting_a_jvm_for_it() throws Exception {
        // A JDK whose java records every start: the command itself must be the only one.
        LauncherRun.Run r = bash("""
                mkdir -p jdk/bin
                cp "$JAVA_HOME/release" jdk/release
                printf '#!/usr/bin/env bash\necho "$*" >> "%s/starts.log"\nexec "%s/bin/java" "$@"\n' "$PWD" "$JAVA_HOME" > jdk/bin/java
                chmod +x jdk/bin/java
                JAVA_HOME="$PWD/jdk" "$STOWAGE" ls
                wc -l < starts.log | tr -d ' ' | sed 's/^/starts=/'
                """, Map.of("PRIMARY_BACKEND", "local", "STOWAGE_HOME", "state", "STOWAGE_CDS", "off"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("starts=1");
    }

    @Test
    void the_first_run_of_a_command_leaves_one_archive_that_later_runs_map_and_no_run_prints_a_jvm_note()
            throws Exception {
        // On JDK 25 and later an AOT cache, recorded by the first run and written by a JVM of its own
        // (decision 0073); before, a dynamic class-data archive. Either way stdout carries the content alone.
        LauncherRun.Run r = bash("""
                head -c 300000 /dev/urandom > f.bin
                STOWAGE_CDS=off "$STOWAGE" put f.bin k > /dev/null
                "$STOWAGE" get k - > first.bin
                ls archives | sed 's/^/file=/'
                "$STOWAGE" get k - > second.bin
                cmp f.bin first.bin && cmp f.bin second.bin && echo SAME
                ls archives | grep -c '^get-local-' | sed 's/^/gets=/'
                """, Map.of("PRIMARY_BACKEND", "local", "STOWAGE_HOME", "state", "STOWAGE_CDS_DIR", "archives"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        String ext = Runtime.version().feature() >= 25 ? "aot" : "jsa";
        assertThat(r.out()).contains("SAME").contains("gets=1")
                .containsPattern("file=get-local-c1-\\d+\\." + ext + "\n")
                .doesNotContain(".tmp").doesNotContain(".conf");
    }

    @Test
    void a_migration_keeps_an_archive_per_source_and_target_and_leaves_the_optimizing_compiler_the_digest_alone()
            throws Exception {
        // A cache trained by a copy from one backend to another serves that direction (decision 0088). C2's thresholds
        // are a hundred times the defaults, but the SHA-256 compression still reaches it within a few MiB (decision 0110);
        // the first run of a direction records its cache with the VM's output off, so the second one is read.
        java.nio.file.Files.writeString(LauncherRun.work(tmp).resolve("stowage.yaml"), """
                backends:
                  a: { type: local, path: "a" }
                  b: { type: local, path: "b" }
                  c: { type: local, path: "c" }
                primary: a
                """);
        LauncherRun.Run r = bash("""
                head -c 1000 /dev/urandom > f.bin
                head -c 8388608 /dev/urandom > big.bin
                "$STOWAGE" put f.bin k > /dev/null
                "$STOWAGE" migrate --raw --from a --to=b > first.out
                "$STOWAGE" migrate --raw --from b --to a > /dev/null
                JAVA_OPTS=-XX:+PrintCommandLineFlags "$STOWAGE" migrate --raw --from a --to b | grep -o 'Tier4InvocationThreshold=[0-9]*\\|CompileThresholdScaling=[0-9]*'
                grep -c '^copied 1 ' first.out | sed 's/^/copied=/'
                "$STOWAGE" put big.bin big > /dev/null
                "$STOWAGE" migrate --raw --from a --to c --prefix big > /dev/null
                rm -rf c
                JAVA_OPTS=-XX:+PrintCompilation "$STOWAGE" migrate --raw --from a --to c --prefix big > compiled.out
                grep -c '^copied 1 ' compiled.out | sed 's/^/copied big=/'
                grep -qE '[[:space:]]4[[:space:]]+sun[.]security[.]provider[.](SHA2::implCompress0|DigestBase::implCompressMultiBlock0) ' compiled.out && echo digest=c2
                ls archives | grep '^migrate-' | sed 's/-[0-9]*\\.[a-z]*$//; s/^/file=/'
                """, Map.of("STOWAGE_HOME", "state", "STOWAGE_CDS_DIR", "archives"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Tier4InvocationThreshold=500000").doesNotContain("CompileThresholdScaling")
                .contains("copied=1").contains("copied big=1").contains("digest=c2")
                .contains("file=migrate-raw-a-to-b-c2\n").contains("file=migrate-raw-b-to-a-c2\n");
    }
}
