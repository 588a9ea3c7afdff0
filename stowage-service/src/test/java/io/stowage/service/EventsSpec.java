package io.stowage.service;

import static io.stowage.ErrorKind.QUOTA_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.BlobContent;
import io.stowage.testkit.Contents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every change leaves an event in the outbox, in its own transaction; listeners hear it once committed. */
abstract class EventsSpec extends ServiceTestBase {

    List<FileEvent> outbox() {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            return db.withHandle("test", h -> new EventOutbox().after(h, 0, 1000));
        }
    }

    @Test
    void each_change_of_a_file_leaves_one_event_in_the_outbox_in_order() {
        FileRecord saved = save("ada", "a.txt", "one");
        FileRecord replaced = service.replace("ada", saved.id(), BlobContent.ofUtf8("two"), SaveOptions.defaults());
        service.delete("ada", saved.id());
        service.undelete("ada", saved.id());
        service.purge("ada", saved.id());

        List<FileEvent> events = outbox();

        assertThat(events).extracting(FileEvent::type).containsExactly(FileEvent.SAVED, FileEvent.SAVED,
                FileEvent.DELETED, FileEvent.RESTORED, FileEvent.PURGED);
        assertThat(events).extracting(FileEvent::owner, FileEvent::fileId).containsOnly(
                org.assertj.core.groups.Tuple.tuple("ada", saved.id()));
        assertThat(events).extracting(FileEvent::id).isSorted().doesNotHaveDuplicates();
        assertThat(events.get(1).data()).containsEntry("version_id", replaced.versionId()).containsEntry("version", "2")
                .containsEntry("size", "3").containsEntry("sha256", replaced.sha256())
                .containsEntry("content_type", replaced.contentType());
    }

    @Test
    void listeners_hear_each_event_after_its_change_is_visible() {
        List<String> heard = new CopyOnWriteArrayList<>();
        service.addListener(e -> heard.add(e.type() + " " + service.info(e.owner(), e.fileId()).version()));
        service.addListener(e -> {
            throw new IllegalStateException("a broken listener changes nothing");
        });

        FileRecord saved = save("ada", "a.txt", "one");
        service.replace("ada", saved.id(), BlobContent.ofUtf8("two"), SaveOptions.defaults());

        assertThat(heard).containsExactly("file.saved 1", "file.saved 2");
        assertThat(outbox()).hasSize(2);
    }

    @Test
    void a_save_that_fails_leaves_no_event_and_a_quota_refusal_is_announced() {
        List<FileEvent> heard = new CopyOnWriteArrayList<>();
        service.addListener(heard::add);
        service.setQuota("ada", Quota.defaults().withMaxBytes(10));

        catchThrowable(() -> service.save("ada", "cut.bin",
                BlobContent.ofUnknownLength(Contents.failingAfter(1, 100, 5)), SaveOptions.defaults()));
        assertKind(catchThrowable(() -> save("ada", "big.txt", "more than ten bytes")), QUOTA_EXCEEDED);
        assertKind(catchThrowable(() -> service.save("ada", "big.bin",
                BlobContent.ofUnknownLength(Contents.generated(2, 100)), SaveOptions.defaults())), QUOTA_EXCEEDED);

        assertThat(outbox()).extracting(FileEvent::type).containsExactly(FileEvent.QUOTA_EXCEEDED, FileEvent.QUOTA_EXCEEDED);
        assertThat(outbox().getFirst().data()).containsEntry("limit", "10").containsEntry("would_use", "19");
        assertThat(outbox().getFirst().fileId()).isEmpty();
        assertThat(heard).extracting(FileEvent::type).containsExactly(FileEvent.QUOTA_EXCEEDED, FileEvent.QUOTA_EXCEEDED);
    }
}
