package io.stowage.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * {@code GET /openapi.json}, the API as OpenAPI 3.1 from the hand-written {@code openapi.yaml} beside this
 * class (decision 0044), and {@code GET /docs}, Swagger UI over it, its assets served under
 * {@code /docs/assets/} from the swagger-ui webjar inside the jar, so the page works offline.
 */
final class DocsRoutes {

    static final String ASSETS = "/docs/assets";
    private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/";
    private static final String OWN = "/io/stowage/server/docs";

    private final byte[] document;
    private final byte[] page;
    private final boolean tls;

    private DocsRoutes(byte[] document, byte[] page, boolean tls) {
        this.document = document;
        this.page = page;
        this.tls = tls;
    }

    /** Loads the document and the page and serves the page's assets; fails when the jar lacks them. */
    static DocsRoutes install(JavalinConfig config, boolean tls) {
        Map<String, String> headers = SecurityHeaders.of(tls);
        String version = swaggerUiVersion();
        for (String directory : new String[] {WEBJAR + version, OWN}) {
            config.staticFiles.add(files -> {
                files.hostedPath = ASSETS;
                files.directory = directory;
                files.location = Location.CLASSPATH;
                files.headers = headers;
            });
        }
        return new DocsRoutes(document(), resource(OWN + "/index.html"), tls);
    }

    void register(Routes routes) {
        routes.open(HandlerType.GET, "/openapi.json", this::openapi);
        routes.open(HandlerType.GET, "/docs", this::docs);
    }

    /** The OpenAPI document as read from {@code openapi.yaml}. */
    static JsonNode documentTree() {
        try {
            return new YAMLMapper().readTree(resource("/io/stowage/server/openapi.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException("openapi.yaml in the server's jar is not YAML", e);
        }
    }

    private static byte[] document() {
        try {
            return new ObjectMapper().writeValueAsBytes(documentTree());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openapi(Context ctx) {
        ctx.contentType("application/json").result(document);
    }

    private void docs(Context ctx) {
        SecurityHeaders.apply(ctx, tls);
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    private static String swaggerUiVersion() {
        Properties p = new Properties();
        try (InputStream in = stream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static byte[] resource(String path) {
        try (InputStream in = stream(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream stream(String path) {
        InputStream in = DocsRoutes.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is missing from the server's classpath: the build packs it");
        }
        return in;
    }
}
