package io.stowage.server;

import io.stowage.config.ConfigSection;
import io.stowage.config.InvalidConfigException;
import io.stowage.config.StowageConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's own settings ({@link ServerSections}), checked once when the server is configured: every
 * problem at once, as configuration reports its own.
 */
public final class ServerSettings {

    private final String host;
    private final int port;
    private final URI publicUrl;
    private final Duration shutdownGrace;

    private ServerSettings(String host, int port, URI publicUrl, Duration shutdownGrace) {
        this.host = host;
        this.port = port;
        this.publicUrl = publicUrl;
        this.shutdownGrace = shutdownGrace;
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
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new ServerSettings(host, port, publicUrl, grace);
    }

    /** Settings for tests and embedding: this host and port (0 picks a free one), no public URL. */
    public static ServerSettings of(String host, int port) {
        return new ServerSettings(host, port, null, Duration.ofSeconds(30));
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

    /** These settings listening on another port (tests start on port 0). */
    public ServerSettings withPort(int otherPort) {
        return new ServerSettings(host, otherPort, publicUrl, shutdownGrace);
    }

    @Override
    public String toString() {
        return "ServerSettings[host=" + host + ", port=" + port + ", publicUrl=" + publicUrl
                + ", shutdownGrace=" + shutdownGrace + "]";
    }
}
