package io.stowage.service;

import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static io.stowage.ErrorKind.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.testkit.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jdbi.v3.core.statement.JdbiStatementEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks delivered by the worker the service starts, to a real HTTP server on the loopback. The service tells
 * time by a test clock, so a retry 10 seconds later happens when the test moves the clock, not after a wait; the
 * worker polls every 10 ms of real time.
 */
abstract class WebhooksSpec extends ServiceTestBase {

    static final String SECRET = "a-secret-of-enough-length";
    static final Duration BOUND = Duration.ofSeconds(60);
    final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    final ObjectMapper json = new ObjectMapper();
    final List<AutoCloseable> closing = new ArrayList<>();

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_WEBHOOK_POLL_INTERVAL", "10ms", "STOWAGE_WEBHOOK_ATTEMPTS", "3",
                "STOWAGE_WEBHOOK_BASE_DELAY", "10s", "STOWAGE_WEBHOOK_MAX_DELAY", "30s", "STOWAGE_WEBHOOK_TIMEOUT", "5s");
    }

    @BeforeEach
    void onTheTestClock() {
        service.close();
        service = StorageService.open(settings(), store, clock);
    }

    @AfterEach
    void closeOthers() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    WebhookReceiver receiver(int failFirst) throws IOException {
        WebhookReceiver r = new WebhookReceiver(failFirst);
        closing.add(r);
        return r;
    }

    WebhookDelivery only(Webhook hook) {
        List<WebhookDelivery> all = service.webhooks().deliveries(hook.id(), "", 100).items();
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    void awaitRequests(WebhookReceiver r, int n) {
        Await.until(BOUND, n + " requests", () -> r.requests().size() >= n);
    }

    void awaitState(Webhook hook, String state, int attempts) {
        Await.until(BOUND, "a delivery " + state + " after " + attempts + " attempts", () -> {
            List<WebhookDelivery> d = service.webhooks().deliveries(hook.id(), "", 100).items();
            return !d.isEmpty() && d.getLast().state().equals(state) && d.getLast().attempts() == attempts;
        });
    }

    /** A delivery that failed {@code attempts} times and waits for its next try at {@code next} (not one in flight). */
    void awaitRetryAt(Webhook hook, int attempts, Instant next) {
        Await.until(BOUND, "a delivery failed " + attempts + " times, next try at " + next, () -> {
            List<WebhookDelivery> d = service.webhooks().deliveries(hook.id(), "", 100).items();
            return !d.isEmpty() && d.getLast().state().equals(WebhookDelivery.PENDING)
                    && d.getLast().attempts() == attempts && d.getLast().nextAttemptAt().equals(next);
        });
    }

    @Test
    void an_event_is_delivered_after_failed_tries_with_exponential_backoff_signed_with_the_secret() throws Exception {
        WebhookReceiver receiver = receiver(2);
        Webhook hook = service.webhooks().register(receiver.url(), SECRET, Set.of(FileEvent.SAVED));
        Instant start = clock.instant();

        FileRecord saved = save("ada", "a.txt", "one");
        awaitRetryAt(hook, 1, start.plusSeconds(10));
        WebhookDelivery first = only(hook);
        assertThat(first.lastStatus()).isEqualTo(500);
        assertThat(first.lastError()).isEqualTo("answered HTTP 500");
        assertThat(receiver.requests()).hasSize(1);

        clock.advance(Duration.ofSeconds(10));
        awaitRetryAt(hook, 2, start.plusSeconds(10 + 20));
        assertThat(receiver.requests()).as("the second try, after the base delay").hasSize(2);

        clock.advance(Duration.ofSeconds(19));
        assertThat(receiver.requests()).as("not due yet").hasSize(2);
        clock.advance(Duration.ofSeconds(1));
        awaitState(hook, WebhookDelivery.DELIVERED, 3);

        WebhookDelivery done = only(hook);
        assertThat(done.lastStatus()).isEqualTo(200);
        assertThat(done.lastError()).isEmpty();
        assertThat(done.deliveredAt()).contains(clock.instant());
        assertThat(receiver.requests()).hasSize(3).allSatisfy(request -> {
            assertThat(request.header("Stowage-Event-Id")).isEqualTo(Long.toString(done.eventId()));
            assertThat(request.header("Stowage-Event-Type")).isEqualTo(FileEvent.SAVED);
            assertThat(request.header("Stowage-Delivery-Id")).isEqualTo(Long.toString(done.id()));
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(WebhookSignature.verify(SECRET, request.header(WebhookSignature.HEADER), request.body(),
                    clock.instant(), Duration.ofMinutes(5))).isTrue();
        });
        WebhookReceiver.Request last = receiver.requests().getLast();
        assertThat(last.header(WebhookSignature.HEADER)).startsWith("t=" + clock.instant().getEpochSecond() + ",v1=");
        assertThat(WebhookSignature.verify("another-secret-of-length", last.header(WebhookSignature.HEADER), last.body(),
                clock.instant(), Duration.ofMinutes(5))).as("another secret").isFalse();
        byte[] changed = last.body().clone();
        changed[changed.length - 2] ^= 1;
        assertThat(WebhookSignature.verify(SECRET, last.header(WebhookSignature.HEADER), changed, clock.instant(),
                Duration.ofMinutes(5))).as("a changed body").isFalse();
        assertThat(WebhookSignature.verify(SECRET, last.header(WebhookSignature.HEADER), last.body(),
                clock.instant().plus(Duration.ofMinutes(6)), Duration.ofMinutes(5))).as("replayed too late").isFalse();
        JsonNode body = json.readTree(last.body());
        assertThat(body.get("id").asLong()).isEqualTo(done.eventId());
        assertThat(body.get("type").asText()).isEqualTo(FileEvent.SAVED);
        assertThat(body.get("owner").asText()).isEqualTo("ada");
        assertThat(body.get("file_id").asText()).isEqualTo(saved.id());
        assertThat(body.get("data").get("version_id").asText()).isEqualTo(saved.versionId());
    }

    @Test
    void a_delivery_is_dead_after_the_last_try_and_a_redelivery_sends_the_same_event_again() throws Exception {
        WebhookReceiver receiver = receiver(100);
        Webhook hook = service.webhooks().register(receiver.url(), SECRET, Set.of("*"));
        Instant start = clock.instant();
        save("ada", "a.txt", "one");

        awaitRetryAt(hook, 1, start.plusSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        awaitRetryAt(hook, 2, start.plusSeconds(10 + 20));
        clock.advance(Duration.ofSeconds(20));
        awaitState(hook, WebhookDelivery.DEAD, 3);
        clock.advance(Duration.ofHours(1));
        WebhookDelivery dead = only(hook);
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(receiver.requests()).hasSize(3);

        receiver.failNext(0);
        WebhookDelivery again = service.webhooks().redeliver(dead.id());
        assertThat(again.id()).isNotEqualTo(dead.id());
        assertThat(again.eventId()).isEqualTo(dead.eventId());
        assertThat(again.state()).isEqualTo(WebhookDelivery.PENDING);
        awaitState(hook, WebhookDelivery.DELIVERED, 1);

        assertThat(service.webhooks().deliveries(hook.id(), "", 100).items()).extracting(WebhookDelivery::state)
                .containsExactly(WebhookDelivery.DEAD, WebhookDelivery.DELIVERED);
        assertThat(receiver.requests()).hasSize(4);
        assertThat(receiver.requests().getLast().header("Stowage-Event-Id")).isEqualTo(Long.toString(dead.eventId()));
        assertThat(receiver.requests().getLast().header("Stowage-Delivery-Id")).isEqualTo(Long.toString(again.id()));
        assertThat(service.audit(AuditQuery.all(10).byTarget("webhook:" + hook.id())).entries())
                .extracting(AuditEntry::action).containsExactly("webhook.register", "webhook.redeliver");
    }

    @Test
    void a_receiver_that_cannot_be_reached_counts_as_a_failed_try_without_a_status() throws Exception {
        WebhookReceiver gone = receiver(0);
        String url = gone.url();
        gone.close();
        Webhook hook = service.webhooks().register(url, SECRET, Set.of(FileEvent.SAVED));

        save("ada", "a.txt", "one");

        awaitRetryAt(hook, 1, clock.instant().plusSeconds(10));
        WebhookDelivery failed = only(hook);
        assertThat(failed.lastStatus()).isZero();
        assertThat(failed.lastError()).isNotBlank().doesNotContain(SECRET);
    }

    @Test
    void a_delivery_waiting_when_the_service_closes_is_made_after_the_next_start() throws Exception {
        WebhookReceiver receiver = receiver(1);
        Webhook hook = service.webhooks().register(receiver.url(), SECRET, Set.of(FileEvent.SAVED));
        save("ada", "a.txt", "one");
        awaitRetryAt(hook, 1, clock.instant().plusSeconds(10));

        service.close();
        clock.advance(Duration.ofSeconds(10));
        service = StorageService.open(settings(), store, clock);

        awaitState(hook, WebhookDelivery.DELIVERED, 2);
        assertThat(receiver.requests()).hasSize(2);
    }

    @Test
    void a_redelivery_of_a_pending_or_unknown_delivery_is_refused() throws Exception {
        Webhook hook = service.webhooks().register(receiver(100).url(), SECRET, Set.of(FileEvent.SAVED));
        save("ada", "a.txt", "one");
        awaitRetryAt(hook, 1, clock.instant().plusSeconds(10));

        assertKind(catchThrowable(() -> service.webhooks().redeliver(only(hook).id())), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> service.webhooks().redeliver(only(hook).id() + 1000)), NOT_FOUND);
        assertThat(service.webhooks().deliveries(hook.id(), "", 100).items()).hasSize(1);
    }

    @Test
    void a_webhook_hears_only_the_event_types_it_was_registered_for() throws Exception {
        WebhookReceiver deletes = receiver(0);
        WebhookReceiver everything = receiver(0);
        Webhook onlyDeletes = service.webhooks().register(deletes.url(), SECRET, Set.of(FileEvent.DELETED));
        Webhook all = service.webhooks().register(everything.url(), SECRET, Set.of("*"));

        FileRecord saved = save("ada", "a.txt", "one");
        service.delete("ada", saved.id());

        awaitRequests(everything, 2);
        awaitRequests(deletes, 1);
        assertThat(everything.requests()).extracting(r -> r.header("Stowage-Event-Type"))
                .containsExactly(FileEvent.SAVED, FileEvent.DELETED);
        assertThat(service.webhooks().deliveries(onlyDeletes.id(), "", 100).items())
                .extracting(WebhookDelivery::eventType).containsExactly(FileEvent.DELETED);
        assertThat(deletes.requests()).hasSize(1);
        assertThat(service.webhooks().deliveries(all.id(), "", 1).nextCursor()).isPresent();
    }

    @Test
    void a_webhook_hears_only_what_is_committed_after_it_was_registered() throws Exception {
        save("ada", "before.txt", "one");
        WebhookReceiver receiver = receiver(0);
        Await.until(BOUND, "the earlier event published", () -> {
            try (CatalogDatabase db = CatalogDatabase.open(settings())) {
                return db.withHandle("test", h -> new EventOutbox().unpublished(h, 10)).isEmpty();
            }
        });
        Webhook hook = service.webhooks().register(receiver.url(), SECRET, Set.of(FileEvent.SAVED));
        FileRecord after = save("ada", "after.txt", "two");

        awaitState(hook, WebhookDelivery.DELIVERED, 1);
        assertThat(receiver.requests()).hasSize(1);
        assertThat(json.readTree(receiver.requests().getFirst().body()).get("file_id").asText()).isEqualTo(after.id());
    }

    @Test
    void webhooks_are_listed_with_their_secret_masked_and_removed_with_their_deliveries() throws Exception {
        Webhook hook = service.webhooks().register("https://hooks.example.com/in", SECRET,
                Set.of(FileEvent.SAVED, FileEvent.DELETED));

        assertThat(service.webhooks().list()).singleElement().satisfies(w -> {
            assertThat(w.id()).isEqualTo(hook.id());
            assertThat(w.url()).isEqualTo("https://hooks.example.com/in");
            assertThat(w.maskedSecret()).isEqualTo("****ngth").doesNotContain("secret");
            assertThat(w.eventTypes()).containsExactlyInAnyOrder(FileEvent.SAVED, FileEvent.DELETED);
            assertThat(w.toString()).doesNotContain(SECRET);
        });
        service.webhooks().remove(hook.id());

        assertThat(service.webhooks().list()).isEmpty();
        assertKind(catchThrowable(() -> service.webhooks().remove(hook.id())), NOT_FOUND);
        assertKind(catchThrowable(() -> service.webhooks().deliveries(hook.id(), "", 10)), NOT_FOUND);
        assertThat(service.audit(AuditQuery.all(10).byTarget("webhook:" + hook.id())).entries())
                .extracting(AuditEntry::action, AuditEntry::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("webhook.register", StorageService.SYSTEM),
                        org.assertj.core.groups.Tuple.tuple("webhook.remove", StorageService.SYSTEM));
    }

    @Test
    void secrets_stay_out_of_a_flight_recording_of_the_catalogs_statements() throws Exception {
        Path dump = home.resolve("statements.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(JdbiStatementEvent.NAME);
            recording.start();
            service.webhooks().register("https://hooks.example.com/in", SECRET, Set.of(FileEvent.SAVED));
            service.rotateSigningKey();
            service.webhooks().list();
            recording.stop();
            recording.dump(dump);
        }
        List<String> signingSecrets;
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            signingSecrets = db.withHandle("test", h -> h.createQuery("SELECT secret FROM signing_keys")
                    .mapTo(String.class).list());
        }

        List<RecordedEvent> statements = RecordingFile.readAllEvents(dump).stream()
                .filter(e -> e.getEventType().getName().equals(JdbiStatementEvent.NAME)).toList();
        assertThat(statements).as("the recording holds the catalog's statements").isNotEmpty();
        assertThat(signingSecrets).isNotEmpty();
        for (RecordedEvent statement : statements) {
            String recorded = statement.getString("sql") + " " + statement.getString("parameters");
            assertThat(recorded).doesNotContain(SECRET);
            signingSecrets.forEach(secret -> assertThat(recorded).doesNotContain(secret));
        }
    }

    @Test
    void a_webhook_needs_an_http_url_without_credentials_a_long_secret_and_known_event_types() {
        Set<String> saved = Set.of(FileEvent.SAVED);
        for (String url : new String[] {"ftp://example.com/in", "/relative", "https://user:pw@example.com/in", "", null}) {
            assertKind(catchThrowable(() -> service.webhooks().register(url, SECRET, saved)), INVALID_ARGUMENT);
        }
        assertKind(catchThrowable(() -> service.webhooks().register("https://e.com", "short", saved)), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> service.webhooks().register("https://e.com", SECRET, Set.of())), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> service.webhooks().register("https://e.com", SECRET, Set.of("file.eaten"))),
                INVALID_ARGUMENT);
        Throwable userInfo = catchThrowable(() -> service.webhooks().register("https://user:pw@example.com/in", SECRET,
                saved));
        assertThat(userInfo.getMessage()).doesNotContain("pw");
        assertThat(service.webhooks().list()).isEmpty();
    }

    @Test
    void two_nodes_sharing_a_catalog_deliver_each_event_once() throws Exception {
        WebhookReceiver receiver = receiver(0);
        StorageService other = StorageService.open(settings(), store, clock);
        closing.add(other);
        Webhook hook = service.webhooks().register(receiver.url(), SECRET, Set.of(FileEvent.SAVED));

        int files = 30;
        for (int i = 0; i < files; i++) {
            (i % 2 == 0 ? service : other).save("ada", "f" + i + ".txt", io.stowage.BlobContent.ofUtf8("x" + i),
                    SaveOptions.defaults());
        }
        Await.until(BOUND, "every delivery delivered", () -> {
            List<WebhookDelivery> d = service.webhooks().deliveries(hook.id(), "", 100).items();
            return d.size() == files && d.stream().allMatch(x -> x.state().equals(WebhookDelivery.DELIVERED));
        });

        List<WebhookDelivery> deliveries = other.webhooks().deliveries(hook.id(), "", 100).items();
        assertThat(deliveries).extracting(WebhookDelivery::attempts).containsOnly(1);
        assertThat(deliveries).extracting(WebhookDelivery::eventId).doesNotHaveDuplicates();
        Set<String> eventIds = new HashSet<>();
        receiver.requests().forEach(r -> eventIds.add(r.header("Stowage-Event-Id")));
        assertThat(receiver.requests()).as("no event sent twice").hasSize(files);
        assertThat(eventIds).hasSize(files);
    }
}
