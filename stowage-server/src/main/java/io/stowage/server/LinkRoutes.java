package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.ByteRange;
import io.stowage.StorageException;
import io.stowage.service.DownloadLink;
import io.stowage.service.FileRead;
import io.stowage.service.FileRecord;
import io.stowage.service.LinkOptions;
import io.stowage.service.LinkRead;
import io.stowage.service.StorageService;
import io.stowage.service.auth.Scope;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Signed download links: {@code POST /v1/files/{id}/links} makes one with an absolute URL (on
 * {@code server.public_url} when set, else on the address the request came to), and
 * {@code GET|HEAD /v1/links/{token}} serves it to anyone holding it, with ranges and conditions as every
 * content route. A refused token (malformed, changed, expired, retired key) is 403; a file gone since, 404.
 */
final class LinkRoutes {

    /** Where links live; what follows is the token. */
    static final String PREFIX = "/v1/links/";

    /** A {@code Host} header fit to put in a link: a name or address and an optional port. */
    private static final Pattern HOST = Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}])(:[0-9]{1,5})?");

    private final StorageService service;
    private final ServerSettings settings;

    LinkRoutes(StorageService service, ServerSettings settings) {
        this.service = service;
        this.settings = settings;
    }

    void register(Routes routes) {
        routes.secured(HandlerType.POST, "/v1/files/{id}/links", Scope.READ, this::create);
        routes.open(HandlerType.GET, PREFIX + "{token}", this::download);
        routes.open(HandlerType.HEAD, PREFIX + "{token}", this::download);
    }

    /** {@code {"ttlSeconds": n, "disposition"?: "attachment" | "inline"}} → {@code {"url", "expiresAt"}}. */
    private void create(Context ctx) {
        Map<String, Object> body = JsonBodies.object(ctx);
        long ttl = JsonBodies.longField(body, "ttlSeconds").orElseThrow(() ->
                StorageException.invalidArgument("the body needs 'ttlSeconds': how long the link works"));
        LinkOptions options = switch (JsonBodies.textField(body, "disposition").orElse("attachment")) {
            case "attachment" -> LinkOptions.attachment();
            case "inline" -> LinkOptions.inline();
            default -> throw StorageException.invalidArgument("disposition must be inline or attachment");
        };
        DownloadLink link = service.downloadUrl(Requests.owner(ctx), ctx.pathParam("id"), Duration.ofSeconds(ttl), options);
        String url = base(ctx) + PREFIX + link.token();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", url);
        json.put("expiresAt", link.expiresAt().toString());
        ctx.status(201).header("Location", url).json(json);
    }

    private void download(Context ctx) throws IOException {
        String token = ctx.pathParam("token");
        try (LinkRead link = service.openLink(token)) {
            if (link.redirect().isPresent()) {
                // Redirect mode: the backend serves the bytes, with the link's disposition and type bound in its URL.
                ctx.status(302).header("Location", link.redirect().get().toString()).header("Cache-Control", "no-store");
                return;
            }
            ContentResponses.send(ctx, new LinkSource(token, link), link.contentDisposition());
        }
    }

    /** The version a link names; the read opened to check the link serves the whole file, a range opens anew. */
    private final class LinkSource implements ContentResponses.Source {
        private final String token;
        private final LinkRead link;

        LinkSource(String token, LinkRead link) {
            this.token = token;
            this.link = link;
        }

        @Override
        public FileRecord file() {
            return link.read().file();
        }

        @Override
        public FileRead open(Optional<ByteRange> range) {
            return range.isPresent() ? service.openLink(token, null, range.get()).read() : link.read();
        }
    }

    private String base(Context ctx) {
        return base(ctx, settings);
    }

    /** Where links (and upload URLs) point: the configured public URL, else this request's own scheme and host. */
    static String base(Context ctx, ServerSettings settings) {
        if (settings.publicUrl().isPresent()) {
            return settings.publicUrl().get().toString();
        }
        String host = ctx.header("Host");
        if (host == null || !HOST.matcher(host).matches()) {
            host = ctx.req().getLocalAddr().contains(":") ? "[" + ctx.req().getLocalAddr() + "]:" + ctx.req().getLocalPort()
                    : ctx.req().getLocalAddr() + ":" + ctx.req().getLocalPort();
        }
        return ctx.scheme() + "://" + host;
    }
}
