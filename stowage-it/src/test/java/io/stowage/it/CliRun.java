package io.stowage.it;

import io.stowage.cli.CliContext;
import io.stowage.cli.StowageCli;
import io.stowage.internal.BlobStoreProviders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What one {@code stowage} command line printed and returned, run in-process in {@code dir} with {@code env}
 * as its environment and every installed provider, as a user's shell would run it there.
 */
record CliRun(int code, String out, String err) {

    static CliRun stowage(Map<String, String> env, Path dir, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(env, dir, new ByteArrayInputStream(new byte[0]), out, err,
                BlobStoreProviders.load(), false);
        int code = StowageCli.run(ctx, args);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Everything it printed. */
    String all() {
        return out + err;
    }
}
