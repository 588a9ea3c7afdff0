package io.stowage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.PutOptions;
import io.stowage.composite.MirrorStore;
import io.stowage.journal.FileWriteJournal;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.testkit.ContractAssertions;
import io.stowage.testkit.FaultyBlobStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Marker;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class LoggingLayerTest {

    private final RecordingLogger log = new RecordingLogger();
    private final FaultyBlobStore backend = new FaultyBlobStore(new MemoryBlobStore("logged"));
    private final LoggingLayer layer = new LoggingLayer(backend, log);

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void every_line_carries_the_callers_correlation_id() {
        MDC.put(LoggingLayer.CORRELATION_ID, "req-42");
        BlobKey k = BlobKey.of("a/b");
        layer.put(k, BlobContent.ofUtf8("x"));
        layer.stat(k);
        ContractAssertions.assertFails(ErrorKind.NOT_FOUND, () -> layer.stat(BlobKey.of("missing")));
        backend.down();
        ContractAssertions.assertFails(ErrorKind.UNAVAILABLE, () -> layer.delete(k));
        assertThat(log.lines).hasSize(4).allSatisfy(l -> assertThat(l).contains("correlation_id=req-42"));
        assertThat(log.lines.get(0)).startsWith("DEBUG op=put backend=logged key=a/b").contains("outcome=ok bytes=1");
        assertThat(log.lines.get(2)).contains("outcome=not_found");
        assertThat(log.lines.get(3)).startsWith("WARN op=delete").contains("outcome=unavailable");
    }

    @Test
    void a_line_without_a_correlation_id_says_so() {
        layer.exists(BlobKey.of("x"));
        assertThat(log.lines).singleElement().asString().contains("correlation_id=-");
    }

    @Test
    void content_and_metadata_values_are_never_logged() {
        layer.put(BlobKey.of("m"), BlobContent.ofUtf8("the-secret-content"),
                PutOptions.builder().metadata(Map.of("token", "s3cr3t-value")).build());
        layer.get(BlobKey.of("m")).readAllBytes();
        assertThat(String.join("\n", log.lines)).doesNotContain("s3cr3t-value").doesNotContain("the-secret-content");
    }

    @Test
    void the_background_copies_of_an_async_mirror_log_under_the_correlation_id_of_the_write(@TempDir Path state)
            throws Exception {
        try (FileWriteJournal journal = FileWriteJournal.open(state)) {
            MirrorStore mirror = new MirrorStore(new MemoryBlobStore("primary"), List.of(layer), journal,
                    MirrorStore.Mode.ASYNC);
            MDC.put(LoggingLayer.CORRELATION_ID, "req-7");
            mirror.put(BlobKey.of("seven"), BlobContent.ofUtf8("x"));
            MDC.put(LoggingLayer.CORRELATION_ID, "req-8");
            mirror.put(BlobKey.of("eight"), BlobContent.ofUtf8("y"));
            MDC.clear();
            assertThat(mirror.drain(30_000)).isTrue();
        }
        assertThat(backend.exists(BlobKey.of("seven"))).isTrue();
        assertThat(backend.exists(BlobKey.of("eight"))).isTrue();
        assertThat(log.lines).isNotEmpty().allSatisfy(l -> assertThat(l)
                .matches(".* key=seven .*correlation_id=req-7.*|.* key=eight .*correlation_id=req-8.*"));
    }

    /** Keeps every line it is given, at every level. */
    static final class RecordingLogger extends AbstractLogger {
        private static final long serialVersionUID = 1L;
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                                   Throwable t) {
            lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args));
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isTraceEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled(Marker marker) {
            return true;
        }
    }
}
