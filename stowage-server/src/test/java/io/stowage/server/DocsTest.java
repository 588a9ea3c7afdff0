package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /openapi.json} and {@code /docs}; no catalog question here, so SQLite alone. */
class DocsTest extends OpsTestBase.OnSqlite {

    @Test
    void the_document_is_openapi_3_1_json_without_credentials() throws IOException {
        HttpResponse<String> r = get("/openapi.json", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode doc = new ObjectMapper().readTree(r.body());
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.get("paths").has("/health/storage")).isTrue();
        assertThat(doc.get("paths").has("/v1/files/{id}/versions/{version}/restore")).isTrue();
    }

    @Test
    void every_operation_in_the_document_says_what_it_answers() {
        JsonNode doc = DocsRoutes.documentTree();
        List<String> without = new java.util.ArrayList<>();
        doc.get("paths").properties().forEach(p -> p.getValue().properties().forEach(op -> {
            if (!op.getKey().equals("parameters") && (op.getValue().get("responses") == null
                    || op.getValue().get("responses").isEmpty())) {
                without.add(op.getKey() + " " + p.getKey());
            }
        }));

        assertThat(without).isEmpty();
    }

    @Test
    void the_docs_page_is_html_with_security_headers_and_its_assets_come_from_the_server() {
        HttpResponse<String> page = get("/docs", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-eval"));
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.body()).contains("/docs/assets/swagger-ui-bundle.js").doesNotContain("http://")
                .doesNotContain("https://").doesNotContainPattern("<script>[^<]");

        HttpResponse<String> bundle = get("/docs/assets/swagger-ui-bundle.js", null);
        HttpResponse<String> init = get("/docs/assets/stowage-docs.js", null);
        HttpResponse<String> css = get("/docs/assets/swagger-ui.css", null);

        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body()).contains("SwaggerUIBundle");
        assertThat(bundle.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(init.statusCode()).isEqualTo(200);
        assertThat(init.body()).contains("/openapi.json");
        assertThat(css.statusCode()).isEqualTo(200);
    }

    @Test
    void an_unknown_asset_is_not_found() {
        assertThat(get("/docs/assets/nothing.js", null).statusCode()).isEqualTo(404);
        assertThat(get("/docs/assets/../openapi.yaml", null).statusCode()).isEqualTo(404);
    }
}
