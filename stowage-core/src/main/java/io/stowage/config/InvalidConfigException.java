package io.stowage.config;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.util.List;

/**
 * Configuration that cannot be used: a {@link StorageException} of kind {@link ErrorKind#CONFIG}
 * listing every problem found, each naming its setting. Never contains a secret value.
 */
public final class InvalidConfigException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(StorageException.builder(ErrorKind.CONFIG).message(message(problems)));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one line each, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        // One line, so a CLI can print it as one line.
        return problems.size() == 1
                ? "invalid configuration: " + problems.get(0)
                : "invalid configuration, " + problems.size() + " problems: " + String.join("; ", problems);
    }
}
