package io.stowage.cli;

import io.stowage.BlobStore;
import io.stowage.HealthReport;
import io.stowage.StorageException;
import io.stowage.config.StowageConfig;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "backends", description = "List the backend types available here and the configured backends "
        + "with their health.")
final class BackendsCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Override
    public Integer call() {
        CliContext ctx = root.ctx();
        PrintWriter out = ctx.out();
        out.println("Available types:");
        for (BlobStoreProvider p : ctx.providers().providers()) {
            String aliases = p.aliases().isEmpty() ? "" : " (also " + String.join(", ", p.aliases()) + ")";
            out.printf("  %-14s %s%s%n", p.type(), p.description(), aliases);
        }
        StowageConfig config = root.config();
        out.println();
        out.println("Configured backends:");
        for (Map.Entry<String, BackendConfig> e : config.backends().entrySet()) {
            String name = e.getKey();
            String marker = name.equals(config.primary()) ? "*" : " ";
            out.printf("%s %-14s %-14s %s%n", marker, name, e.getValue().type(), health(config, name, ctx));
        }
        out.println();
        out.println("* primary");
        out.println();
        out.println("Routing:");
        out.println("  primary:  " + config.primary());
        out.println("  fallback: " + (config.fallback().isEmpty() ? "(none)" : String.join(", ", config.fallback())));
        out.println("  mirror:   " + (config.mirror().isEmpty() ? "(none)" : String.join(", ", config.mirror())));
        config.tiers().forEach((tier, name) -> out.println("  tier " + tier + " -> " + name));
        out.flush();
        return ExitCodes.OK;
    }

    private static String health(StowageConfig config, String name, CliContext ctx) {
        try (BlobStore store = config.open(name, ctx.providers())) {
            HealthReport h = store.health();
            String detail = h.detail() == null || h.detail().isBlank() ? "" : "  " + h.detail();
            return (h.healthy() ? "healthy" : "down") + "  " + h.latency().toMillis() + " ms" + (h.healthy() ? "" : detail);
        } catch (StorageException e) {
            return "down  " + e.reason();
        }
    }
}
