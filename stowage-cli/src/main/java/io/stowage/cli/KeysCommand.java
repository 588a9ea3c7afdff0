package io.stowage.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.stowage.BlobStore;
import io.stowage.StorageException;
import io.stowage.internal.Sizes;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.service.auth.ApiKey;
import io.stowage.service.auth.ApiKeys;
import io.stowage.service.auth.IssuedKey;
import io.stowage.service.auth.Scope;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code stowage keys}: the server's API keys in the configured catalog (decision 0038), the same keys
 * {@code /admin/keys} makes, lists and revokes.
 */
@Command(name = "keys", description = "Make, list and revoke the API keys of the server, in the configured catalog"
        + " (STOWAGE_HOME/state/catalog.db, or STOWAGE_DATABASE_URL).",
        subcommands = {KeysCommand.Create.class, KeysCommand.List.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {

    @ParentCommand
    StowageCli root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(root.ctx().out());
    }

    /** Runs {@code work} on the key store of the configured catalog, closed afterwards. */
    <T> T withKeys(Function<ApiKeys, T> work) {
        ServiceSettings settings = ServiceSettings.from(root.config());
        try (BlobStore store = root.openPrimary(); StorageService service = StorageService.open(settings, store)) {
            return work.apply(service.apiKeys());
        }
    }

    @Command(name = "create", description = "Make a key and print it (on stdout, alone, so scripts can keep it): "
            + "it is shown this once. What it is for goes to stderr.")
    static final class Create implements Callable<Integer> {

        @ParentCommand
        KeysCommand keys;

        @Option(names = "--owner", required = true, paramLabel = "<owner>", description = "whose files the key reaches")
        String owner;

        @Option(names = "--scopes", paramLabel = "<scopes>", defaultValue = "read,write",
                description = "read, write and/or admin, comma-separated (default: ${DEFAULT-VALUE})")
        String scopes;

        @ArgGroup(exclusive = true)
        Expiry expiry;

        static final class Expiry {
            @Option(names = "--expires-in", paramLabel = "<duration>", description = "expire after this long: 30d, 12h")
            String in;

            @Option(names = "--expires-at", paramLabel = "<instant>", description = "expire then: 2030-01-01T00:00:00Z")
            String at;
        }

        @Option(names = "--json", description = "print {id, key, owner, scopes, expiresAt} instead of the key alone")
        boolean json;

        @Override
        public Integer call() {
            java.time.Duration in = expiry == null || expiry.in == null ? null
                    : Sizes.parseDuration(expiry.in, "--expires-in");
            Optional<Instant> at = expiry == null || expiry.at == null ? Optional.empty() : Optional.of(instant(expiry.at));
            Set<Scope> scoped = Scope.parseAll(scopes);
            // From when the catalog is open, which takes a moment on a first start.
            IssuedKey issued = keys.withKeys(k -> k.create(owner, scoped,
                    in == null ? at : Optional.of(Instant.now().plus(in))));
            PrintWriter out = keys.root.ctx().out();
            if (json) {
                JsonOutput.write(out, g -> {
                    g.writeStartObject();
                    g.writeStringField("id", issued.id());
                    g.writeStringField("key", issued.key());
                    g.writeStringField("owner", issued.owner());
                    scopes(g, issued.scopes());
                    g.writeStringField("expiresAt", issued.expiresAt().map(Instant::toString).orElse(null));
                    g.writeEndObject();
                });
            } else {
                out.println(issued.key());
                out.flush();
            }
            keys.root.ctx().err().println("made API key " + issued.id() + " for " + issued.owner() + " ("
                    + Scope.labels(issued.scopes(), ", ") + "), " + expiresText(issued.expiresAt())
                    + "; it is shown this once");
            return ExitCodes.OK;
        }

        private static Instant instant(String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw StorageException.invalidArgument("--expires-at must be an ISO-8601 instant such as"
                        + " 2030-01-01T00:00:00Z, was '" + text + "'");
            }
        }
    }

    @Command(name = "list", description = "List every key, oldest first, without secrets: id, owner, scopes,"
            + " created and expires (local time), state (active, expired, revoked).")
    static final class List implements Callable<Integer> {

        @ParentCommand
        KeysCommand keys;

        @Option(names = "--json", description = "one JSON array of {id, owner, scopes, createdAt, expiresAt, revokedAt}")
        boolean json;

        @Override
        public Integer call() {
            java.util.List<ApiKey> all = keys.withKeys(ApiKeys::list);
            PrintWriter out = keys.root.ctx().out();
            Instant now = Instant.now();
            if (json) {
                JsonOutput.write(out, g -> {
                    g.writeStartArray();
                    for (ApiKey k : all) {
                        g.writeStartObject();
                        g.writeStringField("id", k.id());
                        g.writeStringField("owner", k.owner());
                        scopes(g, k.scopes());
                        g.writeStringField("createdAt", k.createdAt().toString());
                        g.writeStringField("expiresAt", k.expiresAt().map(Instant::toString).orElse(null));
                        g.writeStringField("revokedAt", k.revokedAt().map(Instant::toString).orElse(null));
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                });
                return ExitCodes.OK;
            }
            for (ApiKey k : all) {
                String state = k.revokedAt().isPresent() ? "revoked" : k.activeAt(now) ? "active" : "expired";
                out.printf("%s  %-20s  %-16s  %s  %-19s  %s%n", k.id(), k.owner(), Scope.labels(k.scopes(), ","),
                        LsCommand.TIME.format(k.createdAt()), k.expiresAt().map(LsCommand.TIME::format).orElse("never"),
                        state);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", description = "Revoke a key: it is refused from now on and stays listed as revoked.")
    static final class Revoke implements Callable<Integer> {

        @ParentCommand
        KeysCommand keys;

        @Parameters(index = "0", paramLabel = "<id>", description = "the key's id (the part after stw_, before the next _)")
        String id;

        @Override
        public Integer call() {
            keys.withKeys(k -> {
                k.revoke(id);
                return null;
            });
            keys.root.ctx().out().println("revoked " + id);
            return ExitCodes.OK;
        }
    }

    private static String expiresText(Optional<Instant> expires) {
        return expires.map(e -> "expires " + e).orElse("does not expire");
    }

    private static void scopes(JsonGenerator g, Set<Scope> scopes) throws IOException {
        g.writeArrayFieldStart("scopes");
        for (Scope s : scopes) {
            g.writeString(s.label());
        }
        g.writeEndArray();
    }
}
