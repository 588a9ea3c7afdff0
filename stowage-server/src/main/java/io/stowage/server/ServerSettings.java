package io.stowage.server;

import io.stowage.config.ConfigSection;
import io.stowage.config.InvalidConfigException;
import io.stowage.config.StowageConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's own settings ({@link ServerSections}), checked once when the server is configured: every
 * problem at once, as configuration reports its own.
 */
public final class ServerSettings {

    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;
    static final long DEFAULT_MAX_BODY_SIZE = 1024 * 1024;
    static final int DEFAULT_RATE_LIMIT = 100;
    static final int DEFAULT_RATE_LIMIT_BURST = 300;

    private final String host;
    private final int port;
    private final URI publicUrl;
    private final Duration shutdownGrace;
    private final Limits limits;

    /** The settings that guard the server against its clients, and who may read its metrics and from where. */
    record Limits(boolean metricsPublic, List<String> corsOrigins, Path tlsCert, Path tlsKey, Duration idleTimeout,
                  Duration headerTimeout, int maxHeaderSize, long maxBodySize, int rateLimit, int rateLimitBurst) {

        static final Limits DEFAULTS = new Limits(false, List.of(), null, null, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_BODY_SIZE, DEFAULT_RATE_LIMIT,
                DEFAULT_RATE_LIMIT_BURST);

        Limits {
            corsOrigins = List.copyOf(corsOrigins);
        }
    }

    private ServerSettings(String host, int port, URI publicUrl, Duration shutdownGrace, Limits limits) {
        this.host = host;
        this.port = port;
        this.publicUrl = publicUrl;
        this.shutdownGrace = shutdownGrace;
        this.limits = limits;
    }

    /**
     * The server's settings from a loaded configuration.
     *
     * @throws InvalidConfigException listing every server setting that cannot be used
     */
    public static ServerSettings from(StowageConfig config) {
        ConfigSection server = config.section(ServerSections.SERVER);
        List<String> problems = new ArrayList<>();
        String host = server.get("host").map(String::trim).filter(h -> !h.isEmpty()).orElse("127.0.0.1");
        int port = server.get("port").isPresent() ? server.getInt("port") : 8080;
        if (port < 0 || port > 65_535) {
            problems.add("server.port: must be between 0 and 65535, was " + port);
        }
        URI publicUrl = null;
        Optional<String> url = server.get("public_url").map(String::trim).filter(u -> !u.isEmpty());
        if (url.isPresent()) {
            try {
                publicUrl = URI.create(url.get().endsWith("/") ? url.get().substring(0, url.get().length() - 1) : url.get());
                if (publicUrl.getScheme() == null || !publicUrl.getScheme().matches("https?") || publicUrl.getHost() == null) {
                    problems.add("server.public_url: must be an http or https URL such as https://files.example.com,"
                            + " was '" + url.get() + "'");
                }
            } catch (IllegalArgumentException e) {
                problems.add("server.public_url: is not a URL: '" + url.get() + "'");
            }
        }
        Duration grace = server.get("shutdown_grace").isPresent() ? server.getDuration("shutdown_grace")
                : Duration.ofSeconds(30);
        Limits limits = limits(server, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new ServerSettings(host, port, publicUrl, grace, limits);
    }

    private static Limits limits(ConfigSection server, List<String> problems) {
        boolean metricsPublic = server.get("metrics_public").isPresent() && server.getBoolean("metrics_public");
        List<String> origins = new ArrayList<>();
        for (String o : server.get("cors_origins").isPresent() ? server.getList("cors_origins") : List.<String>of()) {
            String origin = o.trim();
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                problems.add("server.cors_origins: each origin is scheme://host[:port] (or *), was '" + origin + "'");
            }
            origins.add(origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin);
        }
        Path cert = server.get("tls_cert").map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).orElse(null);
        Path key = server.get("tls_key").map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).orElse(null);
        if ((cert == null) != (key == null)) {
            problems.add("server.tls_cert and server.tls_key (STOWAGE_TLS_CERT, STOWAGE_TLS_KEY): give both PEM files"
                    + " or neither");
        }
        for (Path p : new Path[] {cert, key}) {
            if (p != null && !Files.isReadable(p)) {
                problems.add("server.tls: cannot read the PEM file " + p);
            }
        }
        Duration idle = server.get("idle_timeout").isPresent() ? server.getDuration("idle_timeout") : DEFAULT_IDLE_TIMEOUT;
        Duration header = server.get("header_timeout").isPresent() ? server.getDuration("header_timeout")
                : DEFAULT_HEADER_TIMEOUT;
        long headerSize = server.get("max_header_size").isPresent() ? server.getSize("max_header_size")
                : DEFAULT_MAX_HEADER_SIZE;
        if (headerSize < 1024 || headerSize > 1024 * 1024) {
            problems.add("server.max_header_size: must be between 1KiB and 1MiB, was " + headerSize + " bytes");
        }
        long body = server.get("max_body_size").isPresent() ? server.getSize("max_body_size") : DEFAULT_MAX_BODY_SIZE;
        if (body <= 0) {
            problems.add("server.max_body_size: must be positive, was " + body);
        }
        int rate = server.get("rate_limit").isPresent() ? server.getInt("rate_limit") : DEFAULT_RATE_LIMIT;
        int burst = server.get("rate_limit_burst").isPresent() ? server.getInt("rate_limit_burst")
                : DEFAULT_RATE_LIMIT_BURST;
        if (rate < 0) {
            problems.add("server.rate_limit: requests per second per key, 0 for none, was " + rate);
        }
        if (rate > 0 && burst < 1) {
            problems.add("server.rate_limit_burst: must be at least 1, was " + burst);
        }
        return new Limits(metricsPublic, origins, cert, key, idle, header, (int) headerSize, body, rate, burst);
    }

    /** Settings for tests and embedding: this host and port (0 picks a free one), no public URL. */
    public static ServerSettings of(String host, int port) {
        return new ServerSettings(host, port, null, Duration.ofSeconds(30), Limits.DEFAULTS);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The URL links name this server by, behind a proxy; empty: the address the request came to. */
    public Optional<URI> publicUrl() {
        return Optional.ofNullable(publicUrl);
    }

    /** How long a shutdown lets transfers in flight finish before it aborts them. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** Whether {@code /metrics} answers without credentials ({@code STOWAGE_METRICS_PUBLIC}); else it needs admin. */
    public boolean metricsPublic() {
        return limits.metricsPublic();
    }

    /** Whether the server speaks HTTPS, from {@code STOWAGE_TLS_CERT} and {@code STOWAGE_TLS_KEY}. */
    public boolean tls() {
        return limits.tlsCert() != null;
    }

    Limits limits() {
        return limits;
    }

    /** These settings listening on another port (tests start on port 0). */
    public ServerSettings withPort(int otherPort) {
        return new ServerSettings(host, otherPort, publicUrl, shutdownGrace, limits);
    }

    @Override
    public String toString() {
        return "ServerSettings[host=" + host + ", port=" + port + ", publicUrl=" + publicUrl
                + ", shutdownGrace=" + shutdownGrace + ", " + limits + "]";
    }
}
