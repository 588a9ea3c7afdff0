package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The document served at {@code /openapi.json} and the routes the server registers are the same set, in
 * both directions. The route list is the one {@link Routes} keeps as routes are registered.
 */
class OpenApiCoverageTest extends OpsTestBase.OnSqlite {

    @Test
    void every_registered_route_is_documented_and_every_documented_route_exists() throws IOException {
        JsonNode served = new ObjectMapper().readTree(get("/openapi.json", null).body());

        Set<String> registered = RouteCoverage.registered(server.routes());
        Set<String> documented = RouteCoverage.documented(served);

        assertThat(RouteCoverage.differences(registered, documented)).as("OpenAPI coverage").isEmpty();
    }

    @Test
    void a_registered_route_missing_from_the_document_is_named() {
        Set<String> documented = RouteCoverage.documented(DocsRoutes.documentTree());
        Set<String> registered = new TreeSet<>(documented);
        registered.add("GET /v1/secret");

        assertThat(RouteCoverage.differences(registered, documented))
                .contains("registered but missing from openapi.yaml: [GET /v1/secret]");
    }

    @Test
    void a_documented_route_that_does_not_exist_is_named() {
        Set<String> documented = RouteCoverage.documented(DocsRoutes.documentTree());
        Set<String> registered = new TreeSet<>(documented);
        registered.remove("GET /health/storage");

        assertThat(RouteCoverage.differences(registered, documented))
                .contains("no such route is registered (not landed yet, or a stale entry): [GET /health/storage]");
    }

    @Test
    void the_routes_of_this_branch_are_all_documented() {
        Set<String> registered = RouteCoverage.registered(server.routes());

        assertThat(RouteCoverage.missing(registered, RouteCoverage.documented(DocsRoutes.documentTree()))).isEmpty();
        assertThat(registered).contains("GET /health", "GET /health/ready", "GET /health/storage", "GET /metrics",
                "GET /openapi.json", "GET /docs");
    }

    @Test
    void the_files_routes_document_the_segment_and_tier_query_parameters_they_take() {
        JsonNode files = DocsRoutes.documentTree().path("paths").path("/v1/files");

        assertThat(queryParameters(files.path("post"))).contains("name", "segment", "tier");
        assertThat(queryParameters(files.path("get"))).contains("prefix", "segment", "cursor", "limit");
    }

    private static Set<String> queryParameters(JsonNode operation) {
        Set<String> names = new TreeSet<>();
        operation.path("parameters").forEach(p -> {
            if ("query".equals(p.path("in").asText())) {
                names.add(p.path("name").asText());
            }
        });
        return names;
    }
}
