package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions and the trash, on by default on local disk, reached from {@code bin/stowage}. */
class VersionsTrashIT {

    @TempDir
    Path tmp;

    @Test
    void an_older_version_is_read_with_get_version_and_made_current_with_restore_version() throws Exception {
        LauncherRun.Run r = LauncherRun.bash(tmp, """
                echo first > f.txt
                "$STOWAGE" put f.txt k.txt > /dev/null
                echo second > f.txt
                "$STOWAGE" put f.txt k.txt > /dev/null
                old="$("$STOWAGE" versions k.txt | sed -n 2p | awk '{print $4}')"
                echo "old=$old"
                echo "read: $("$STOWAGE" get --version "$old" k.txt -)"
                "$STOWAGE" restore-version k.txt "$old"
                echo "current: $("$STOWAGE" get k.txt -)"
                echo "versions: $("$STOWAGE" versions k.txt | wc -l)"
                set +e
                "$STOWAGE" get --version no-such-version k.txt -; echo "missing-rc=$?"
                """, LauncherRun.LOCAL);

        assertThat(r.out()).as(r.err()).containsPattern("old=\\S+")
                .contains("read: first", "current: first", "versions: 3", "missing-rc=4")
                .containsPattern("restored k\\.txt to version \\S+  6 bytes")
                .doesNotContain("stowage 0.");
    }

    @Test
    void a_deleted_key_is_listed_in_the_trash_undeleted_and_purged_and_a_backend_without_trash_says_unsupported()
            throws Exception {
        LauncherRun.Run r = LauncherRun.bash(tmp, """
                echo content > f.txt
                "$STOWAGE" put f.txt docs/k.txt > /dev/null
                "$STOWAGE" rm docs/k.txt
                "$STOWAGE" trash docs/
                "$STOWAGE" undelete docs/k.txt
                echo "back: $("$STOWAGE" get docs/k.txt -)"
                "$STOWAGE" rm docs/k.txt
                "$STOWAGE" purge docs/k.txt
                echo "trash after purge: [$("$STOWAGE" trash)]"
                set +e
                "$STOWAGE" undelete docs/k.txt; echo "gone-rc=$?"
                PRIMARY_BACKEND=memory "$STOWAGE" trash; echo "memory-rc=$?"
                """, LauncherRun.LOCAL);

        assertThat(r.out()).as(r.err())
                .containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +8 docs/k\\.txt")
                .contains("undeleted docs/k.txt  8 bytes", "back: content", "purged docs/k.txt", "trash after purge: []",
                        "gone-rc=4", "memory-rc=15");
        assertThat(r.err()).contains("stowage: backend 'memory' has no trash (deletes there are final)");
    }
}
