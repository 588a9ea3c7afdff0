package io.stowage.service;

import io.stowage.config.ConfigSection;
import io.stowage.config.SettingsSection;
import io.stowage.config.StowageConfig;
import io.stowage.spi.SettingSpec;
import io.stowage.spi.SettingSpec.Kind;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Virus scanning of saves through ClamAV's {@code clamd} (decision 0055), the {@code scan:} section:
 *
 * <pre>
 * scan: { clamd: "localhost:3310", fail_mode: closed, infected: delete, timeout: 30s }
 * </pre>
 * <ul>
 *   <li>{@code clamd} / {@code STOWAGE_CLAMD}: {@code host:port}, or the path of clamd's unix socket
 *       ({@code /run/clamav/clamd.ctl}, or {@code unix:} before it); unset, nothing is scanned.
 *   <li>{@code fail_mode} / {@code STOWAGE_SCAN_FAIL_MODE}: {@code closed} (the default) refuses a save clamd
 *       could not scan, {@code open} stores it unscanned, with a warning in the log and a count in health.
 *   <li>{@code infected} / {@code STOWAGE_SCAN_INFECTED}: {@code delete} (the default) or {@code quarantine}
 *       (the content kept under {@code <owner>/quarantine/<file id>/<version id>}, for an operator to look at).
 *   <li>{@code timeout} / {@code STOWAGE_SCAN_TIMEOUT} (default 30 seconds): how long connecting and waiting for
 *       the verdict may take.
 * </ul>
 */
public record ScanSettings(Optional<SocketAddress> clamd, boolean failOpen, boolean quarantine, Duration timeout) {

    static final String SECTION = "scan";

    /** No scanning. */
    static ScanSettings off() {
        return new ScanSettings(Optional.empty(), false, false, Duration.ofSeconds(30));
    }

    /** As the section declares them; a problem is added to {@code problems} for each value that cannot be used. */
    static ScanSettings from(StowageConfig config, List<String> problems) {
        ConfigSection s = config.section(SECTION);
        Optional<SocketAddress> address = Optional.empty();
        Optional<String> given = s.get("clamd").map(String::trim).filter(v -> !v.isEmpty());
        if (given.isPresent()) {
            try {
                address = Optional.of(address(given.get()));
            } catch (IllegalArgumentException e) {
                problems.add(s.label("clamd") + ": " + e.getMessage());
            }
        }
        boolean open = s.get("fail_mode").map(v -> v.trim().toLowerCase(Locale.ROOT).equals("open")).orElse(false);
        boolean quarantine = s.get("infected").map(v -> v.trim().toLowerCase(Locale.ROOT).equals("quarantine"))
                .orElse(false);
        Duration timeout = s.get("timeout").isPresent() ? s.getDuration("timeout") : Duration.ofSeconds(30);
        if (timeout.isNegative() || timeout.isZero()) {
            problems.add(s.label("timeout") + ": must be positive");
        }
        return new ScanSettings(address, open, quarantine, timeout);
    }

    /** {@code host:port}, {@code unix:/path} or {@code /path}. */
    static SocketAddress address(String value) {
        if (value.startsWith("unix:") || value.startsWith("/")) {
            return UnixDomainSocketAddress.of(Path.of(value.startsWith("unix:") ? value.substring(5) : value));
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("must be host:port or the path of a unix socket, was '" + value + "'");
        }
        String host = value.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port must be 1 to 65535, was '" + value.substring(colon + 1) + "'");
        }
        return InetSocketAddress.createUnresolved(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
    }


    /** The {@code scan:} section, declared to the configuration. */
    public static final class Section implements SettingsSection {
        @Override
        public String name() {
            return SECTION;
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.text("clamd").env("STOWAGE_CLAMD"),
                    SettingSpec.oneOf("fail_mode", "closed", "open").env("STOWAGE_SCAN_FAIL_MODE").defaultValue("closed"),
                    SettingSpec.oneOf("infected", "delete", "quarantine").env("STOWAGE_SCAN_INFECTED")
                            .defaultValue("delete"),
                    SettingSpec.of("timeout", Kind.DURATION).env("STOWAGE_SCAN_TIMEOUT").defaultValue("30s"));
        }
    }
}
