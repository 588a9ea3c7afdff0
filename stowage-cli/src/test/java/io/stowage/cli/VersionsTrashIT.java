package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions and the trash reached from {@code bin/stowage} as real processes; what each command prints and returns
 * is {@link VersionsTrashTest}'s, in-process (a JVM start per command was most of this class's time).
 */
class VersionsTrashIT {

    @TempDir
    Path tmp;

    @Test
    void versions_and_the_trash_of_local_disk_are_reached_from_the_launcher() throws Exception {
        LauncherRun.Run r = LauncherRun.bash(tmp, """
                echo first > f.txt
                "$STOWAGE" put f.txt k.txt > /dev/null
                echo second > f.txt
                "$STOWAGE" put f.txt k.txt > /dev/null
                echo "versions: $("$STOWAGE" versions k.txt | wc -l)"
                "$STOWAGE" rm k.txt
                "$STOWAGE" trash
                """, LauncherRun.LOCAL);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).as(r.err()).contains("versions: 2")
                .containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +7 k\\.txt");
    }
}
