package io.stowage.cli;

import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.util.Locale;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code get --verify} and {@code --verify=strict}: what to do when the backend stored no SHA-256 to
 * check against (a stream uploaded in parts to an S3 server without object tags, for one). A plain
 * {@code --verify} must not pass silently then: it says the content went unchecked.
 */
enum VerifyMode {
    OFF, ON, STRICT;

    /** Called before any byte is written when {@code key} has no stored SHA-256. */
    void noDigest(CliContext ctx, String store, BlobKey key, String backend) {
        String where = backend == null || backend.isEmpty() ? store : backend;
        if (this == STRICT) {
            throw StorageException.builder(ErrorKind.INTEGRITY).backend(where).operation("get").key(key.value())
                    .message("cannot verify '" + key + "': backend '" + where + "' has no SHA-256 stored for it; "
                            + "nothing was written").build();
        }
        ctx.err().println("stowage: warning: could not verify '" + key + "': backend '" + where + "' has no SHA-256 "
                + "stored for it, so the content is unchecked (--verify=strict fails instead)");
        ctx.err().flush();
    }

    /** {@code strict} (or {@code on}), case-insensitive. */
    static final class Converter implements CommandLine.ITypeConverter<VerifyMode> {
        @Override
        public VerifyMode convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "on", "" -> ON;
                case "strict" -> STRICT;
                default -> throw new CommandLine.TypeConversionException(
                        "--verify takes no value or =strict, got '" + value + "'");
            };
        }
    }

    /**
     * The value of {@code --verify} only when attached ({@code --verify=strict}): {@code get --verify key
     * file} must not read the key as the option's value.
     */
    static final class AttachedOnly implements CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec spec, ArgSpec arg, Map<String, Object> info) {
            if (" ".equals(info.get("separator"))) {
                args.push("on");
            }
            return false;
        }
    }
}
