package io.stowage.gcs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stowage.BlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server that records every request the GCS SDK sends (method, path, query, headers, the
 * start of the body) and answers as the JSON API would, for tests that check what Stowage asks of GCS
 * where no GCS answers here. Such tests say in their names that they check the request.
 *
 * <p>By default it plays a minimal, forgetful GCS: the bucket exists, uploads (one request or
 * resumable, chunk by chunk) succeed with a fresh generation, patches echo the object. Bodies are
 * hashed and counted, never kept whole, so hundreds of MiB can pass through a small heap. A test
 * replaces answers with {@link #answer}.
 */
final class CapturingGcsServer implements AutoCloseable {

    static final String BUCKET = "captured";
    private static final int KEEP = 64 * 1024;
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

    /** One request as received. */
    record Request(String method, String path, Map<String, String> query, Map<String, String> headers, String body,
            long bodyLength, String bodySha256) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        String query(String name) {
            return query.get(name);
        }
    }

    /** An answer: status, headers, JSON (or other) body. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer json(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json; charset=UTF-8"), body);
        }

        static Answer error(int status, String reason) {
            return json(status, "{\"error\":{\"code\":" + status + ",\"message\":\"" + reason + "\",\"errors\":[{\"reason\":\""
                    + reason + "\",\"message\":\"" + reason + "\"}]}}");
        }
    }

    private final HttpServer http;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);
    /** Per resumable session: the digest and byte count of everything its chunks carried. */
    private final Map<String, MessageDigest> sessionDigests = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Long> sessionBytes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Function<Request, Answer> answers = r -> null;

    CapturingGcsServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::handle);
        http.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        http.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Settings of a backend on this server (no credentials, one attempt unless told otherwise). */
    Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("bucket", BUCKET);
        s.put("endpoint", endpoint());
        s.put("max_attempts", "1");
        s.put("request_timeout", "10s");
        return s;
    }

    BlobStore open(Map<String, String> settings) {
        return new GcsBlobStore(GcsBlobStoreConfig.from(new BackendConfig("captured", "gcs", settings,
                java.nio.file.Path.of("target"))));
    }

    /** Answers requests for which {@code answers} returns non-null; the default GCS answers the rest. */
    void answer(Function<Request, Answer> answers) {
        this.answers = answers;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String pathPart) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).toList();
    }

    Request last(String method, String pathPart) {
        List<Request> found = requests(method, pathPart);
        if (found.isEmpty()) {
            throw new AssertionError("no " + method + " " + pathPart + " request was sent: " + requests);
        }
        return found.getLast();
    }

    void clear() {
        requests.clear();
    }

    /** An object resource as the JSON API returns it. */
    static String object(String name, long generation, long metageneration, long size, String contentType,
            String metadataJson) {
        return "{\"kind\":\"storage#object\",\"bucket\":\"" + BUCKET + "\",\"name\":\"" + name + "\",\"generation\":\""
                + generation + "\",\"metageneration\":\"" + metageneration + "\",\"size\":\"" + size
                + "\",\"contentType\":\"" + contentType + "\",\"storageClass\":\"STANDARD\","
                + "\"timeCreated\":\"2026-01-02T03:04:05.000Z\",\"updated\":\"2026-01-02T03:04:05.000Z\""
                + (metadataJson == null ? "" : ",\"metadata\":" + metadataJson) + "}";
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String session = path.startsWith("/upload/session/") ? path.substring("/upload/session/".length()) : null;
            Request r = read(x, session == null ? null : sessionDigests.computeIfAbsent(session, k -> Sha256.newDigest()));
            if (session != null) {
                sessionBytes.merge(session, r.bodyLength(), Long::sum);
            }
            requests.add(r);
            Answer a = answers.apply(r);
            if (a == null) {
                a = gcs(r);
            }
            x.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
            a.headers().forEach((k, v) -> x.getResponseHeaders().set(k, v));
            byte[] body = a.body() == null ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static Request read(HttpExchange x, MessageDigest session) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = x.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                query.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Map<String, String> headers = new HashMap<>();
        x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        MessageDigest digest = Sha256.newDigest();
        byte[] kept = new byte[KEEP];
        int keptLength = 0;
        long length = 0;
        InputStream body = x.getRequestBody();
        if ("gzip".equalsIgnoreCase(headers.get("content-encoding"))) {
            body = new java.util.zip.GZIPInputStream(body);
        }
        try (InputStream in = body) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                digest.update(buf, 0, n);
                if (session != null) {
                    session.update(buf, 0, n);
                }
                int keep = Math.min(n, KEEP - keptLength);
                System.arraycopy(buf, 0, kept, keptLength, keep);
                keptLength += keep;
                length += n;
            }
        }
        // The SDK's HTTP client sends PATCH as POST with an override header.
        String method = headers.getOrDefault("x-http-method-override", x.getRequestMethod());
        return new Request(method, x.getRequestURI().getPath(), query, headers,
                new String(kept, 0, keptLength, StandardCharsets.UTF_8), length, Sha256.hex(digest.digest()));
    }

    /** The default, forgetful GCS. */
    private Answer gcs(Request r) {
        String p = r.path();
        if (r.method().equals("GET") && p.equals("/storage/v1/b/" + BUCKET)) {
            return Answer.json(200, "{\"kind\":\"storage#bucket\",\"name\":\"" + BUCKET + "\"}");
        }
        if (r.method().equals("POST") && p.startsWith("/upload/storage/v1/b/" + BUCKET + "/o")) {
            String name = name(r);
            if ("resumable".equals(r.query("uploadType"))) {
                String id = "s" + generations.incrementAndGet();
                return new Answer(200, Map.of("Location", endpoint() + "/upload/session/" + id + "?name=" + name), "");
            }
            return Answer.json(200, object(name, generations.incrementAndGet(), 1, 0, "application/octet-stream", null));
        }
        if (r.method().equals("PUT") && p.startsWith("/upload/session/")) {
            String range = r.header("Content-Range");
            Matcher m = Pattern.compile("bytes (\\d+)-(\\d+)/(\\*|\\d+)|bytes \\*/(\\d+)").matcher(range);
            if (!m.matches()) {
                return Answer.error(400, "badRequest");
            }
            String total = m.group(3) != null ? m.group(3) : m.group(4);
            if (total.equals("*")) {
                return new Answer(308, Map.of("Range", "bytes=0-" + m.group(2)), "");
            }
            return Answer.json(200, object(r.query("name"), generations.incrementAndGet(), 1, Long.parseLong(total),
                    "application/octet-stream", null));
        }
        if (r.method().equals("PATCH") && p.startsWith("/storage/v1/b/" + BUCKET + "/o/")) {
            String name = p.substring(("/storage/v1/b/" + BUCKET + "/o/").length());
            long generation = r.query("ifGenerationMatch") == null ? 1 : Long.parseLong(r.query("ifGenerationMatch"));
            Matcher m = Pattern.compile("\"metadata\"\\s*:\\s*(\\{[^}]*\\})").matcher(r.body());
            return Answer.json(200, object(name, generation, 2, 0, "application/octet-stream", m.find() ? m.group(1) : null));
        }
        return Answer.error(404, "notFound");
    }

    /** The bytes and SHA-256 of everything the chunks of the one resumable session carried so far. */
    String resumableUpload() {
        if (sessionBytes.size() != 1) {
            throw new AssertionError("expected one resumable session, saw " + sessionBytes.keySet());
        }
        String id = sessionBytes.keySet().iterator().next();
        try {
            MessageDigest copy = (MessageDigest) sessionDigests.get(id).clone();
            return sessionBytes.get(id) + " " + Sha256.hex(copy.digest());
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    private static String name(Request r) {
        if (r.query("name") != null) {
            return r.query("name");
        }
        Matcher m = NAME.matcher(r.body());
        return m.find() ? m.group(1) : "unnamed";
    }

    @Override
    public void close() {
        http.stop(0);
        ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    }
}
