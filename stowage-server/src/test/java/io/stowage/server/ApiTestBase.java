package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Helpers of the /v1 API suites: JSON bodies, multipart bodies, raw sockets, the objects on disk. */
abstract class ApiTestBase extends ServerTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    String id(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return (String) field(response, "id");
    }

    String saved(String key, String name, String body) {
        return id(upload(key, name, "text/plain", body));
    }

    HttpResponse<String> sendJson(String method, String path, String key, Object body) {
        try {
            return send(request(path, key).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> send(String method, String path, String key) {
        return send(request(path, key).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpResponse<byte[]> sendBytes(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return JSON.readValue(response.body(), Map.class);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(HttpResponse<String> response, String field) {
        return (List<Map<String, Object>>) json(response).get(field);
    }

    /** A problem document of {@code status} and {@code kind}, with a correlation id and no stack trace. */
    static void assertProblem(HttpResponse<String> r, int status, String kind) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(field(r, "kind")).isEqualTo(kind);
        assertThat(field(r, "status")).isEqualTo(status);
        // The detail says what went wrong in words; the kind has its own field and is not repeated in front of it.
        assertThat(String.valueOf(field(r, "detail"))).doesNotStartWith(kind + ":");
        assertThat(field(r, "correlationId")).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(r.body()).doesNotContain("\tat ", "Exception:", "io.stowage.");
    }

    /** A {@code multipart/form-data} body: each part {@code {name, filename or null, content type or null, bytes}}. */
    static final class Form {
        final String boundary = "stowage-test-boundary-" + System.nanoTime();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Form field(String name, String value) {
            return part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
        }

        Form part(String name, String filename, String type, byte[] bytes) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(name).append('"');
            if (filename != null) {
                head.append("; filename=\"").append(filename).append('"');
            }
            head.append("\r\n");
            if (type != null) {
                head.append("Content-Type: ").append(type).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bytes);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            return all.toByteArray();
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }
    }

    HttpResponse<String> postForm(String path, String key, Form form) {
        return send(request(path, key).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build());
    }

    /**
     * Sends {@code head} (request line and headers, without the blank line) and {@code body} on a socket of
     * its own, and returns the status line of the answer; {@code hangUp} closes the socket right after the
     * body instead, without reading anything.
     */
    String raw(String head, byte[] body, boolean hangUp) {
        try (Socket socket = new Socket(server.localUri().getHost(), server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            if (hangUp) {
                socket.setSoLinger(true, 0);
                return "";
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.write(b);
            }
            return line.toString(StandardCharsets.ISO_8859_1).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files the local backend holds (content, sidecars, temporary files), as paths relative to its root; its lock file aside. */
    List<String> objectsOnDisk() {
        Path root = home.resolve("blobs");
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals(".lock")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
