package io.stowage.service;

import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static io.stowage.ErrorKind.NOT_FOUND;
import static io.stowage.ErrorKind.PRECONDITION_FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What the HTTP API asks of the service beside saves: renames, conditional replaces, an owner's upload limit. */
abstract class FileChangesSpec extends ServiceTestBase {

    @Test
    void a_rename_cleans_the_name_keeps_the_object_and_hides_nothing() {
        FileRecord saved = save("ada", "draft.txt", "text");
        String before = objects("ada/").getFirst().key().value();

        FileRecord renamed = service.rename("ada", saved.id(), "  ../final\u0000.txt ");

        assertThat(renamed.name()).isEqualTo("../final.txt");
        assertThat(renamed.displayName()).isEqualTo("final.txt");
        assertThat(renamed.versionId()).isEqualTo(saved.versionId());
        assertThat(objects("ada/")).extracting(b -> b.key().value()).containsExactly(before);
        assertThat(service.list("ada", "", "", 10).files()).extracting(FileRecord::name).containsExactly("../final.txt");
    }

    @Test
    void a_rename_of_another_owners_file_or_to_an_empty_name_changes_nothing() {
        FileRecord saved = save("ada", "mine.txt", "text");

        assertKind(catchThrowable(() -> service.rename("bob", saved.id(), "theirs.txt")), NOT_FOUND);
        assertKind(catchThrowable(() -> service.rename("ada", saved.id(), "\u0000 ")), INVALID_ARGUMENT);
        assertThat(service.info("ada", saved.id()).name()).isEqualTo("mine.txt");
    }

    @Test
    void a_replace_with_a_stale_if_match_is_refused_before_a_byte_is_read() {
        FileRecord saved = save("ada", "doc.txt", "one");
        AtomicBoolean read = new AtomicBoolean();
        InputStream watched = new InputStream() {
            @Override
            public int read() {
                read.set(true);
                return -1;
            }
        };

        Throwable stale = catchThrowable(() -> service.replace("ada", saved.id(), BlobContent.of(watched, 3),
                SaveOptions.builder().ifMatch("0".repeat(64)).build()));
        FileRecord fresh = service.replace("ada", saved.id(), BlobContent.ofUtf8("two"),
                SaveOptions.builder().ifMatch(saved.sha256()).build());

        assertKind(stale, PRECONDITION_FAILED);
        assertThat(read).isFalse();
        assertThat(fresh.version()).isEqualTo(2);
        assertThat(service.versions("ada", saved.id())).hasSize(2);
        assertThat(reserved("ada")).isZero();
    }

    @Test
    void the_largest_upload_is_the_owners_own_else_the_services() {
        long global = service.maxUploadSize("ada");

        service.setQuota("bob", Quota.defaults().withMaxUploadSize(1234));

        assertThat(global).isEqualTo(100L * 1024 * 1024);
        assertThat(service.maxUploadSize("bob")).isEqualTo(1234);
        assertKind(catchThrowable(() -> service.maxUploadSize("not an owner!")), INVALID_ARGUMENT);
    }
}
