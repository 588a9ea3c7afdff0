package io.stowage.cli;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.Metadata;
import io.stowage.Presigner;
import io.stowage.StorageException;
import io.stowage.internal.Sizes;
import io.stowage.manager.StorageManager;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;

@Command(name = "presign", description = {
        "Print a time-limited URL that reads (GET) or writes (PUT) one key directly at the backend, without "
                + "credentials: S3 and S3-compatible stores, Azure with an account key, GCS with credentials that "
                + "can sign. The URL alone goes to stdout, so $(stowage presign ...) works in scripts; when it "
                + "expires and the headers a client must send go to stderr.",
        "Anyone holding the URL can use it until it expires. A presigned PUT writes past Stowage: the object gets "
                + "no stored SHA-256, and neither mirrors nor the journal hear of it, so a configuration with "
                + "mirror, fallback or tiers hands out no URLs."})
final class PresignCommand implements Callable<Integer> {

    /** Shorter than the library's default: a URL printed on a terminal travels further than one in code. */
    static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    @ParentCommand
    StowageCli root;

    @Parameters(index = "0", paramLabel = "<key>", description = "key the URL is for")
    String key;

    @Option(names = "--ttl", paramLabel = "<duration>", converter = TtlConverter.class,
            description = "how long the URL works: 90s, 15m, 2h, 7d (1 second to 7 days; default 15m)")
    Duration ttl = DEFAULT_TTL;

    @Option(names = "--method", paramLabel = "<GET|PUT>", description = "GET (default) to read the key, PUT to write it")
    String method = "GET";

    @Option(names = "--content-type", paramLabel = "<type>", description = "GET: the Content-Type the response "
            + "carries; PUT: the Content-Type the upload must send")
    String contentType;

    @Option(names = "--download-name", paramLabel = "<name>", description = "GET only: browsers save the "
            + "download under this file name (Content-Disposition: attachment)")
    String downloadName;

    @Override
    public Integer call() {
        BlobKey blobKey = BlobKey.of(key);
        String m = method.trim().toUpperCase(Locale.ROOT);
        if (!m.equals("GET") && !m.equals("PUT")) {
            throw StorageException.invalidArgument("--method must be GET or PUT, was '" + method + "'");
        }
        checkTtl(ttl);
        Optional<String> type = Optional.ofNullable(contentType).map(Metadata::validContentType);
        if (downloadName != null && m.equals("PUT")) {
            throw StorageException.invalidArgument("--download-name applies to GET URLs only");
        }
        Optional<String> disposition = Optional.ofNullable(downloadName).map(PresignCommand::attachment);

        try (StorageManager manager = root.openManager()) {
            BlobStore store = manager.store();
            Presigner presigner = store.feature(Presigner.class).orElseThrow(() -> cannotPresign(manager));
            Presigner.PresignedRequest request;
            if (m.equals("GET")) {
                // A URL for a key that is not there would only fail later, in someone else's browser.
                store.stat(blobKey);
                request = presigner.presignGet(blobKey, ttl, new Presigner.GetOverrides(type, disposition));
            } else {
                request = presigner.presignPut(blobKey, ttl, new Presigner.PutConstraints(type, Optional.empty()));
            }
            PrintWriter out = root.ctx().out();
            out.println(request.url());
            out.flush();
            PrintWriter err = root.ctx().err();
            err.println(request.method() + " " + blobKey + " on " + store.name() + ", expires " + request.expiresAt()
                    + " (in " + BackendsCommand.human(ttl) + ")");
            request.headers().forEach((name, value) -> err.println("send header: " + name + ": " + value));
            err.flush();
        }
        return ExitCodes.OK;
    }

    /** The bounds of {@link Presigner#checkTtl}, in whole seconds (a URL's expiry is counted in seconds). */
    static void checkTtl(Duration ttl) {
        if (ttl.toNanos() % 1_000_000_000L != 0 || ttl.compareTo(Presigner.MIN_TTL) < 0
                || ttl.compareTo(Presigner.MAX_TTL) > 0) {
            throw StorageException.invalidArgument("presign TTL must be between 1 second and 7 days, was "
                    + BackendsCommand.human(ttl));
        }
        Presigner.checkTtl(ttl);
    }

    private StorageException cannotPresign(StorageManager manager) {
        String backend = manager.primary();
        String why;
        java.util.List<String> routing = new java.util.ArrayList<>();
        if (!manager.mirror().isEmpty()) {
            routing.add("mirror");
        }
        if (!manager.fallback().isEmpty()) {
            routing.add("fallback");
        }
        if (!manager.tiers().isEmpty()) {
            routing.add("tiers");
        }
        if (!routing.isEmpty()) {
            why = " through the configured " + String.join(", ", routing) + ": a URL would reach one backend past "
                    + "the routing (replicas, journal, tiers)";
        } else {
            why = " (type " + root.config().backend(backend).type() + "; 'stowage capabilities' lists the types that can)";
        }
        return StorageException.builder(ErrorKind.UNSUPPORTED).backend(backend).operation("presign")
                .message("backend '" + backend + "' cannot presign URLs" + why).build();
    }

    /** {@code attachment} with an ASCII fallback name and the exact name in RFC 5987 form. */
    static String attachment(String name) {
        if (name.isBlank() || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw StorageException.invalidArgument("--download-name must be a non-empty name without control "
                    + "characters");
        }
        StringBuilder ascii = new StringBuilder();
        name.codePoints().forEach(c -> ascii.append(c < 0x7f && c != '"' && c != '\\' ? (char) c : '_'));
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    /** 90s, 15m, 2h, 7d, or an ISO-8601 duration; a malformed one is a usage error. */
    static final class TtlConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Sizes.parseDuration(value, "--ttl");
            } catch (StorageException e) {
                throw new CommandLine.TypeConversionException("--ttl must be a duration such as 90s, 15m, 2h or 7d, "
                        + "was '" + value + "'");
            }
        }
    }
}
