package io.stowage.service;

import static io.stowage.ErrorKind.INVALID_ARGUMENT;
import static io.stowage.ErrorKind.NOT_FOUND;
import static io.stowage.ErrorKind.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.groups.Tuple.tuple;

import io.stowage.service.auth.AdminKey;
import io.stowage.service.auth.ApiKey;
import io.stowage.service.auth.ApiKeys;
import io.stowage.service.auth.AuthSettings;
import io.stowage.service.auth.AuthenticationException;
import io.stowage.service.auth.BearerAuthenticator;
import io.stowage.service.auth.IssuedKey;
import io.stowage.service.auth.Principal;
import io.stowage.service.auth.Scope;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** API keys in the catalog: made, shown once, stored hashed, checked, expired, revoked, audited. */
abstract class ApiKeysSpec extends ServiceTestBase {

    static final Set<Scope> READ_WRITE = EnumSet.of(Scope.READ, Scope.WRITE);

    IssuedKey create(String owner, Set<Scope> scopes) {
        return service.apiKeys().create(owner, scopes, Optional.empty());
    }

    /** Opens the service again on a clock of its own, at {@code now}, and returns the clock. */
    TestClock onClock(String now) {
        TestClock clock = new TestClock(Instant.parse(now));
        service.close();
        service = StorageService.open(settings(), store, clock);
        return clock;
    }

    static Throwable refusal(Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(AuthenticationException.class);
        return thrown;
    }

    @Test
    void a_new_key_is_shown_once_and_authenticates_as_its_owner_with_its_scopes() {
        IssuedKey issued = create("alice", READ_WRITE);

        assertThat(issued.key()).matches("stw_" + issued.id() + "_[0-9a-f]{64}");
        assertThat(issued.toString()).doesNotContain(issued.key().substring(31));
        Principal p = service.apiKeys().authenticate(issued.key());
        assertThat(p).isEqualTo(new Principal("alice", READ_WRITE, issued.id()));
        assertThat(p.may(Scope.ADMIN)).isFalse();
    }

    @Test
    void listing_and_finding_describe_keys_without_their_secrets() {
        IssuedKey first = create("alice", READ_WRITE);
        IssuedKey second = service.apiKeys().create("bob", Set.of(Scope.READ), Optional.of(Instant.now().plusSeconds(3600)));

        List<ApiKey> keys = service.apiKeys().list();

        // In order of creation, but two keys made in the same millisecond are in the order of their random ids.
        assertThat(keys).extracting(ApiKey::id, ApiKey::owner, ApiKey::scopes).containsExactlyInAnyOrder(
                tuple(first.id(), "alice", READ_WRITE), tuple(second.id(), "bob", Set.of(Scope.READ)));
        assertThat(keys.get(0).createdAt()).isBeforeOrEqualTo(keys.get(1).createdAt());
        // By id, not by place: in the same millisecond bob's key may come first.
        ApiKey alices = keys.stream().filter(k -> k.id().equals(first.id())).findFirst().orElseThrow();
        ApiKey bobs = keys.stream().filter(k -> k.id().equals(second.id())).findFirst().orElseThrow();
        assertThat(bobs.expiresAt()).isEqualTo(second.expiresAt());
        assertThat(alices.expiresAt()).isEmpty();
        assertThat(keys.toString()).doesNotContain(secret(first)).doesNotContain(secret(second));
        assertThat(service.apiKeys().find(first.id())).hasValue(alices);
        assertThat(service.apiKeys().find(second.id())).hasValue(bobs);
        assertThat(service.apiKeys().find("no-such-key")).isEmpty();
        assertThat(service.apiKeys().find("0000000000aaaaaaaaaaaaaaaa")).isEmpty();
    }

    @Test
    void the_catalog_keeps_the_sha256_of_the_secret_and_never_the_secret() throws Exception {
        IssuedKey issued = create("alice", READ_WRITE);

        Map<String, Object> row;
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            row = db.withHandle("test", h -> h.createQuery("SELECT * FROM api_keys").mapToMap().one());
        }
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(secret(issued).getBytes(StandardCharsets.US_ASCII)));
        assertThat(row.get("secret_hash")).isEqualTo(hash);
        assertThat(row.values()).allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(secret(issued)));
    }

    @Test
    void a_wrong_secret_an_unknown_id_and_a_malformed_key_are_refused_alike() {
        IssuedKey issued = create("alice", READ_WRITE);
        String wrongSecret = issued.key().substring(0, issued.key().length() - 1)
                + (issued.key().endsWith("0") ? "1" : "0");
        String unknownId = "stw_0000000000aaaaaaaaaaaaaaaa_" + secret(issued);

        List<String> messages = List.of(wrongSecret, unknownId, "stw_" + issued.id(), issued.key() + "0",
                        issued.key().toUpperCase(), "stw_../../etc_" + secret(issued), "")
                .stream().map(k -> refusal(() -> service.apiKeys().authenticate(k)).getMessage()).toList();

        assertThat(messages).containsOnly("not a valid API key");
    }

    @Test
    void erasing_an_owner_revokes_every_key_of_theirs_audited_and_no_one_elses() {
        IssuedKey first = create("ada", READ_WRITE);
        IssuedKey second = create("ada", EnumSet.of(Scope.READ));
        IssuedKey earlier = create("ada", READ_WRITE);
        service.apiKeys().revoke(earlier.id());
        Instant earlierRevoked = service.apiKeys().find(earlier.id()).orElseThrow().revokedAt().orElseThrow();
        IssuedKey bobs = create("bob", READ_WRITE);
        save("ada", "a.txt", "a");

        service.eraseOwner("ada");
        service.eraseOwner("ada");

        for (IssuedKey k : List.of(first, second, earlier)) {
            assertThat(refusal(() -> service.apiKeys().authenticate(k.key()))).hasMessageContaining("revoked");
        }
        assertThat(service.apiKeys().find(earlier.id()).orElseThrow().revokedAt()).hasValue(earlierRevoked);
        assertThat(service.apiKeys().authenticate(bobs.key()).owner()).isEqualTo("bob");
        assertThat(service.apiKeys().find(bobs.id()).orElseThrow().revokedAt()).isEmpty();
        assertThat(service.audit(AuditQuery.all(100).byAction("api_key.revoke")).entries())
                .extracting(AuditEntry::target).containsExactlyInAnyOrder("api_key:" + earlier.id(),
                        "api_key:" + first.id(), "api_key:" + second.id());
        IssuedKey fresh = create("ada", READ_WRITE);
        assertThat(service.apiKeys().authenticate(fresh.key()).owner()).isEqualTo("ada");
    }

    @Test
    void a_revoked_key_is_refused_and_stays_listed_with_the_time_it_was_revoked() {
        IssuedKey kept = create("alice", READ_WRITE);
        IssuedKey revoked = create("alice", READ_WRITE);

        service.apiKeys().revoke(revoked.id());

        assertThat(refusal(() -> service.apiKeys().authenticate(revoked.key()))).hasMessageContaining("revoked")
                .hasMessageNotContaining(secret(revoked));
        assertThat(service.apiKeys().authenticate(kept.key()).owner()).isEqualTo("alice");
        assertThat(service.apiKeys().find(revoked.id()).orElseThrow().revokedAt()).isPresent();
        assertThat(service.apiKeys().find(kept.id()).orElseThrow().revokedAt()).isEmpty();
        assertKind(catchThrowable(() -> service.apiKeys().revoke(revoked.id())), NOT_FOUND);
        assertKind(catchThrowable(() -> service.apiKeys().revoke("0000000000aaaaaaaaaaaaaaaa")), NOT_FOUND);
        assertKind(catchThrowable(() -> service.apiKeys().revoke("'; DROP TABLE api_keys; --")), NOT_FOUND);
    }

    @Test
    void a_key_past_its_expiry_is_refused() {
        TestClock clock = onClock("2030-01-01T00:00:00Z");
        IssuedKey issued = service.apiKeys().create("alice", READ_WRITE,
                Optional.of(Instant.parse("2030-01-01T01:00:00Z")));

        assertThat(service.apiKeys().authenticate(issued.key()).owner()).isEqualTo("alice");
        clock.advance(Duration.ofMinutes(59));
        assertThat(service.apiKeys().authenticate(issued.key()).owner()).isEqualTo("alice");
        clock.advance(Duration.ofMinutes(1));
        assertThat(refusal(() -> service.apiKeys().authenticate(issued.key()))).hasMessageContaining("expired");
    }

    @Test
    void a_key_needs_a_valid_owner_a_scope_and_an_expiry_in_the_future() {
        assertKind(catchThrowable(() -> create("../alice", READ_WRITE)), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> create("", READ_WRITE)), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> create("alice", Set.of())), INVALID_ARGUMENT);
        assertKind(catchThrowable(() -> service.apiKeys().create("alice", READ_WRITE,
                Optional.of(Instant.now().minusSeconds(1)))), INVALID_ARGUMENT);

        assertThat(service.apiKeys().isEmpty()).isTrue();
    }

    @Test
    void making_and_revoking_keys_is_audited_refusals_too() {
        IssuedKey issued = new CallContext("key-of-the-admin", "req-7", "").call(() -> create("alice", READ_WRITE));
        service.apiKeys().revoke(issued.id());
        catchThrowable(() -> create("bad owner", READ_WRITE));

        assertThat(service.audit(AuditQuery.all(10)).entries()).extracting(AuditEntry::actor, AuditEntry::action,
                AuditEntry::target, AuditEntry::outcome).containsExactly(
                tuple("key-of-the-admin", "api_key.create", "api_key:" + issued.id(), "ok"),
                tuple("system", "api_key.revoke", "api_key:" + issued.id(), "ok"),
                tuple("system", "api_key.create", "owner:?", "INVALID_ARGUMENT"));
        assertThat(service.audit(AuditQuery.all(10)).entries().toString()).doesNotContain(secret(issued));
    }

    @Test
    void the_bearer_authenticator_sends_keys_to_the_catalog_and_refuses_other_tokens_without_jwt() {
        IssuedKey issued = create("alice", READ_WRITE);
        BearerAuthenticator bearer = BearerAuthenticator.of(service.apiKeys(), AuthSettings.apiKeysOnly());

        assertThat(bearer.authenticate(issued.key()).owner()).isEqualTo("alice");
        refusal(() -> bearer.authenticate("eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl"));
        refusal(() -> bearer.authenticate("stw_nonsense"));
    }

    @Test
    void a_catalog_that_cannot_be_reached_is_unavailable_not_a_refusal() {
        IssuedKey issued = create("alice", READ_WRITE);
        BearerAuthenticator bearer = BearerAuthenticator.of(service.apiKeys(), AuthSettings.apiKeysOnly());
        service.close();

        assertKind(catchThrowable(() -> bearer.authenticate(issued.key())), UNAVAILABLE);
        service = null;
    }

    @Test
    void the_first_start_writes_an_admin_key_only_its_owner_may_read_and_shows_it_once() throws Exception {
        Path stowageHome = home.resolve("stowage-home");

        AdminKey first = AdminKey.ensure(stowageHome, service.apiKeys());

        assertThat(first.created()).isTrue();
        Path file = stowageHome.resolve("admin.key");
        String key = Files.readString(file).strip();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.message()).contains(key).contains(file.toString());
        assertThat(first.toString()).doesNotContain(key);
        assertThat(service.apiKeys().authenticate(key))
                .isEqualTo(new Principal("admin", EnumSet.allOf(Scope.class), first.issued().orElseThrow().id()));
        try (var left = Files.list(stowageHome)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("admin.key");
        }

        AdminKey again = AdminKey.ensure(stowageHome, service.apiKeys());
        assertThat(again.created()).isFalse();
        assertThat(again.message()).doesNotContain(key).contains(file.toString());
        assertThat(service.apiKeys().list()).hasSize(1);

        Files.delete(file);
        assertThat(AdminKey.ensure(stowageHome, service.apiKeys()).message()).contains("was removed")
                .contains("stowage keys create");
    }

    @Test
    void of_servers_starting_at_once_on_one_empty_catalog_exactly_one_makes_the_admin_key() throws Exception {
        int nodes = 4;
        List<StorageService> others = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            for (int i = 1; i < nodes; i++) {
                others.add(StorageService.open(settings(), store));
            }
            List<StorageService> all = new ArrayList<>(others);
            all.add(service);
            // Each node checks the catalog, then waits until every node has checked: all saw it empty.
            CyclicBarrier checked = new CyclicBarrier(nodes);
            List<Future<AdminKey>> starts = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                ApiKeys keys = checkedTogether(all.get(i).apiKeys(), checked);
                Path nodeHome = home.resolve("node-" + i);
                starts.add(pool.submit(() -> AdminKey.ensure(nodeHome, keys)));
            }
            List<AdminKey> made = new ArrayList<>();
            for (Future<AdminKey> start : starts) {
                made.add(start.get(60, TimeUnit.SECONDS));
            }

            assertThat(made).filteredOn(AdminKey::created).hasSize(1);
            assertThat(service.apiKeys().list()).singleElement()
                    .satisfies(k -> assertThat(k.owner()).isEqualTo(AdminKey.OWNER));
        } finally {
            pool.shutdownNow();
            others.forEach(StorageService::close);
        }
    }

    /** {@code real}, whose {@code isEmpty} answers once every node's call has read the catalog. */
    private static ApiKeys checkedTogether(ApiKeys real, CyclicBarrier checked) {
        return (ApiKeys) Proxy.newProxyInstance(ApiKeys.class.getClassLoader(), new Class<?>[] {ApiKeys.class},
                (proxy, method, args) -> {
                    try {
                        Object answer = method.invoke(real, args);
                        if (method.getName().equals("isEmpty")) {
                            checked.await(60, TimeUnit.SECONDS);
                        }
                        return answer;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void an_admin_key_file_left_from_another_catalog_is_replaced_owner_only() throws Exception {
        Path file = home.resolve("admin.key");
        Files.writeString(file, "stw_left_over_from_an_old_catalog\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        AdminKey made = AdminKey.ensure(home, service.apiKeys());

        assertThat(Files.readString(file).strip()).isEqualTo(made.issued().orElseThrow().key());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void an_admin_key_that_cannot_be_written_is_revoked() throws Exception {
        Path notAFolder = home.resolve("plain-file");
        Files.writeString(notAFolder, "x");

        Throwable thrown = catchThrowable(() -> AdminKey.ensure(notAFolder, service.apiKeys()));

        assertThat(thrown).isNotNull();
        assertThat(service.apiKeys().list()).singleElement().satisfies(k -> assertThat(k.revokedAt()).isPresent());
    }

    @Test
    void a_key_in_use_revoked_on_this_node_is_refused_at_once() {
        IssuedKey issued = create("alice", READ_WRITE);
        assertThat(service.apiKeys().authenticate(issued.key()).owner()).isEqualTo("alice");

        service.apiKeys().revoke(issued.id());

        assertThat(refusal(() -> service.apiKeys().authenticate(issued.key()))).hasMessageContaining("revoked");
    }

    @Test
    void the_keys_in_use_of_an_owner_erased_on_this_node_are_refused_at_once() {
        IssuedKey adas = create("ada", READ_WRITE);
        IssuedKey bobs = create("bob", READ_WRITE);
        service.apiKeys().authenticate(adas.key());
        service.apiKeys().authenticate(bobs.key());

        service.eraseOwner("ada");

        assertThat(refusal(() -> service.apiKeys().authenticate(adas.key()))).hasMessageContaining("revoked");
        assertThat(service.apiKeys().authenticate(bobs.key()).owner()).isEqualTo("bob");
    }

    @Test
    void a_key_in_use_revoked_by_another_node_is_refused_once_the_verified_keys_expire() {
        TestClock clock = onClock("2030-01-01T00:00:00Z");
        IssuedKey issued = create("alice", READ_WRITE);
        service.apiKeys().authenticate(issued.key());

        try (StorageService otherNode = StorageService.open(settings(), store, clock)) {
            otherNode.apiKeys().revoke(issued.id());
        }
        // This node trusts what it read for VerifiedKeys.TTL (the bound decision 0057 documents), not longer.
        clock.advance(VerifiedKeys.TTL.minusMillis(1));
        assertThat(service.apiKeys().authenticate(issued.key()).owner()).isEqualTo("alice");
        clock.advance(Duration.ofMillis(1));

        assertThat(refusal(() -> service.apiKeys().authenticate(issued.key()))).hasMessageContaining("revoked");
    }

    @Test
    void a_key_in_use_is_one_principal_while_its_row_is_held_and_a_new_one_once_read_again() {
        TestClock clock = onClock("2030-01-01T00:00:00Z");
        IssuedKey issued = create("alice", READ_WRITE);
        Principal first = service.apiKeys().authenticate(issued.key());

        // Made once with the row it comes from, not for every request (decision 0093); immutable, so shared.
        assertThat(service.apiKeys().authenticate(issued.key())).isSameAs(first);
        clock.advance(VerifiedKeys.TTL);
        Principal again = service.apiKeys().authenticate(issued.key());

        assertThat(again).isNotSameAs(first).isEqualTo(new Principal("alice", READ_WRITE, issued.id()));
    }

    @Test
    void a_key_in_use_is_refused_the_moment_it_expires_and_a_wrong_secret_stays_refused() {
        TestClock clock = onClock("2030-01-01T00:59:59Z");
        IssuedKey issued = service.apiKeys().create("alice", READ_WRITE,
                Optional.of(Instant.parse("2030-01-01T01:00:00Z")));
        assertThat(service.apiKeys().authenticate(issued.key()).owner()).isEqualTo("alice");
        String wrongSecret = issued.key().substring(0, issued.key().length() - 1)
                + (issued.key().endsWith("0") ? "1" : "0");

        assertThat(refusal(() -> service.apiKeys().authenticate(wrongSecret))).hasMessage("not a valid API key");
        clock.advance(Duration.ofSeconds(1));

        assertThat(refusal(() -> service.apiKeys().authenticate(issued.key()))).hasMessageContaining("expired");
    }

    static String secret(IssuedKey issued) {
        return issued.key().substring(issued.key().lastIndexOf('_') + 1);
    }
}
