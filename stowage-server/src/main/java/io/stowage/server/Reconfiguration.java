package io.stowage.server;

import io.stowage.StorageException;
import io.stowage.config.ConfigSources;
import io.stowage.config.InvalidConfigException;
import io.stowage.config.Setting;
import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import io.stowage.service.LiveLimits;
import io.stowage.service.LiveStorage;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.service.Totals;
import io.stowage.service.auth.AuthSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reading the configuration again while the server runs (decision 0052): loading it from the sources the start
 * read, checking it whole (the configuration's own problems, the service's, the server's and the credentials'
 * settings, and that every backend holding versions is still defined), then building a storage manager and
 * making it the service's. A refused configuration is an {@link InvalidConfigException} listing every problem;
 * the running manager stays. One reload or {@code .env} change at a time ({@link #lock()}).
 */
final class Reconfiguration {

    private static final List<String> STORAGE = List.of("primary", "fallback", "fallback_on", "mirror", "mirror_mode",
            "health_interval", "tiers", "backends");

    private final StorageService service;
    private final ConfigReload inputs;
    private final Object lock = new Object();
    /** The configuration the server started with: what the settings outside storage routing still run on. */
    private StowageConfig started;

    /** @param inputs where the configuration is read again; null when the server was started without them */
    Reconfiguration(StorageService service, ConfigReload inputs) {
        this.service = service;
        this.inputs = inputs;
    }

    /** Held while the configuration or the {@code .env} file changes. */
    Object lock() {
        return lock;
    }

    /** Whether a reload can run: the server has its sources and the service a manager. */
    boolean reloadable() {
        return inputs != null && service.liveStorage().isPresent();
    }

    /** The sources as they are now; {@code UNSUPPORTED} when the server has none. */
    ConfigSources sources() {
        return required().sources().get();
    }

    private ConfigReload required() {
        if (inputs == null) {
            throw StorageException.unsupported(null, "configuration reload: this server was started without its"
                    + " configuration sources");
        }
        return inputs;
    }

    /** The configuration the storage runs on now: the current manager's, else the one the sources give. */
    StowageConfig current() {
        Optional<StorageManager> manager = service.manager();
        if (manager.isPresent()) {
            return manager.get().config();
        }
        return StowageConfig.load(sources(), required().providers());
    }

    /** The configuration {@code sources} give, with the configuration's own checks only. */
    StowageConfig load(ConfigSources sources) {
        return StowageConfig.load(sources, required().providers());
    }

    /**
     * Loads the configuration from {@code sources} and checks it as a whole.
     *
     * @throws InvalidConfigException with every problem found
     */
    StowageConfig check(ConfigSources sources) {
        StowageConfig config = StowageConfig.load(sources, required().providers());
        List<String> problems = new ArrayList<>();
        collect(problems, () -> ServiceSettings.from(config));
        collect(problems, () -> ServerSettings.from(config));
        collect(problems, () -> AuthSettings.from(config));
        for (Map.Entry<String, Totals> held : service.stats().byBackend().entrySet()) {
            if (held.getValue().files() > 0 && !config.backends().containsKey(held.getKey())) {
                problems.add("backend '" + held.getKey() + "' holds versions of " + held.getValue().files()
                        + " file(s) but the configuration no longer defines it: keep it defined (in stowage.yaml or"
                        + " the environment, routed or not) or migrate its files first");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems.stream().map(p -> scrub(config, p)).toList());
        }
        return config;
    }

    private static void collect(List<String> problems, Runnable settings) {
        try {
            settings.run();
        } catch (InvalidConfigException e) {
            problems.addAll(e.problems());
        } catch (StorageException e) {
            problems.add(e.reason());
        }
    }

    /**
     * Checks a {@code .env} file's would-be content with the other sources as they are: in a directory of its own
     * holding that {@code .env}, {@code stowage.yaml} read where the working directory has it. Relative paths
     * resolve there, so only their form is checked; what they name is checked by the reload that follows.
     */
    StowageConfig checkDotEnv(String content) {
        ConfigSources s = sources();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("stowage-env-check");
            Files.writeString(dir.resolve(".env"), content);
            Map<String, String> flags = new HashMap<>(s.flags());
            String named = Optional.ofNullable(s.flags().get("STOWAGE_CONFIG"))
                    .or(() -> Optional.ofNullable(s.env().get("STOWAGE_CONFIG")))
                    .or(() -> Optional.ofNullable(DotEnvEdits.parse(content).get("STOWAGE_CONFIG"))).orElse(null);
            Path yaml = s.workingDir().resolve(named == null ? "stowage.yaml" : named);
            if (named != null || Files.exists(yaml)) {
                flags.put("STOWAGE_CONFIG", yaml.toString());
            }
            return check(new ConfigSources(flags, s.env(), dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind holds one small file.
        }
    }

    /** Loads, checks and applies the configuration the sources give now. */
    Map<String, Object> reload() {
        synchronized (lock) {
            return apply(check(sources()));
        }
    }

    /**
     * Builds a manager from {@code config} and makes it the service's; transfers in flight finish on the old one.
     *
     * @throws InvalidConfigException when a backend fails to open (the old manager stays)
     */
    Map<String, Object> apply(StowageConfig config) {
        LiveStorage live = service.liveStorage().orElseThrow(() -> StorageException.unsupported(null,
                "configuration reload: the service runs over a store, not a storage manager"));
        StowageConfig before = live.manager().config();
        if (started == null) {
            started = before;
        }
        StorageManager previous;
        try {
            previous = live.swap(StorageManager.builder(config).providers(required().providers())
                    .registry(required().registry()), required().providers());
        } catch (InvalidConfigException e) {
            throw e;
        } catch (StorageException e) {
            throw new InvalidConfigException(List.of(scrub(config, e.reason())));
        }
        // Checked whole already (check): the service's limits hold for the requests from here on (decision 0066).
        service.liveLimits().apply(ServiceSettings.from(config));
        StorageManager now = live.manager();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reloaded", true);
        body.put("primary", now.primary());
        body.put("previousPrimary", previous.primary());
        body.put("backends", List.copyOf(now.backends().keySet()));
        body.put("managersOpen", live.open());
        body.put("restartNeeded", restartNeeded(started, config));
        return body;
    }

    /**
     * The settings outside storage routing whose value differs from the start's and that a reload does not apply
     * ({@link LiveLimits#SETTINGS} it does): the running server keeps those.
     */
    static List<String> restartNeeded(StowageConfig before, StowageConfig after) {
        Map<String, Setting> old = others(before);
        Map<String, Setting> now = others(after);
        TreeSet<String> changed = new TreeSet<>();
        old.forEach((k, v) -> {
            if (!now.containsKey(k) || !Objects.equals(v.value(), now.get(k).value())) {
                changed.add(k);
            }
        });
        now.keySet().stream().filter(k -> !old.containsKey(k)).forEach(changed::add);
        // A variable the configuration also keeps by its own name (STOWAGE_MAX_UPLOAD_SIZE beside
        // limits.max_upload_size) is named once, by its setting.
        // Either side may have it: a variable removed from .env leaves the setting at its default (no origin).
        List<String> bySetting = changed.stream().filter(k -> k.contains("."))
                .flatMap(k -> Stream.of(old.get(k), now.get(k))).filter(Objects::nonNull).map(Setting::origin)
                .filter(Objects::nonNull).toList();
        changed.removeIf(k -> !k.contains(".") && bySetting.contains(k));
        // The limits are applied live, and so are the variables they are read from.
        List<String> live = Stream.of(before, after).flatMap(c -> c.settings().stream())
                .filter(s -> LiveLimits.SETTINGS.contains(s.name())).map(Setting::origin).filter(Objects::nonNull).toList();
        changed.removeIf(k -> LiveLimits.SETTINGS.contains(k) || live.contains(k));
        return List.copyOf(changed);
    }

    private static Map<String, Setting> others(StowageConfig config) {
        Map<String, Setting> out = new HashMap<>();
        for (Setting s : config.settings()) {
            String first = s.name().split("[.\\[]", 2)[0];
            if (!STORAGE.contains(first)) {
                out.put(s.name(), s);
            }
        }
        return out;
    }

    /** {@code text} with every secret value of {@code config} replaced by {@code ****}. */
    static String scrub(StowageConfig config, String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Setting s : config.settings()) {
            if (s.secret() && s.value() != null && s.value().length() >= 4) {
                out = out.replace(s.value(), "****");
            }
        }
        return out;
    }
}
