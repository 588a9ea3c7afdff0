package io.stowage.cli;

import io.stowage.ErrorKind;
import java.util.EnumMap;
import java.util.Map;

/** The exit status of {@code stowage}: one per {@link ErrorKind}, so scripts can branch on it. */
final class ExitCodes {

    static final int OK = 0;
    static final int UNEXPECTED = 1;
    static final int USAGE = 2;
    static final int LOCAL_FILE = 21;
    static final int INTERRUPTED = 130;
    /** 128 + SIGPIPE, what the shell reports for {@code cat} when the reader of its pipe went away. */
    static final int OUTPUT_CLOSED = 141;

    private static final Map<ErrorKind, Integer> BY_KIND = new EnumMap<>(ErrorKind.class);

    static {
        int code = 3;
        // CONFIG first: it is the one users meet most, and it stays 3 whatever kinds are added later.
        BY_KIND.put(ErrorKind.CONFIG, code++);
        for (ErrorKind kind : ErrorKind.values()) {
            if (kind != ErrorKind.CONFIG && kind != ErrorKind.INTERNAL) {
                BY_KIND.put(kind, code++);
            }
        }
        BY_KIND.put(ErrorKind.INTERNAL, code);
    }

    private ExitCodes() {
    }

    static int of(ErrorKind kind) {
        return BY_KIND.getOrDefault(kind, UNEXPECTED);
    }

    /** The help footer listing every code. */
    static String footer() {
        StringBuilder sb = new StringBuilder("%nExit codes:%n");
        sb.append(String.format("  %3d  success%n", OK));
        sb.append(String.format("  %3d  unexpected error%n", UNEXPECTED));
        sb.append(String.format("  %3d  wrong usage (unknown option, missing argument)%n", USAGE));
        BY_KIND.entrySet().stream()
                .sorted(Map.Entry.comparingByValue())
                .forEach(e -> sb.append(String.format("  %3d  %s%n", e.getValue(), e.getKey())));
        sb.append(String.format("  %3d  a local file could not be read or written%n", LOCAL_FILE));
        sb.append(String.format("  %3d  interrupted (Ctrl-C); nothing was left behind%n", INTERRUPTED));
        sb.append(String.format("  %3d  the reader of the output went away (get k - | head); no message%n",
                OUTPUT_CLOSED));
        return sb.toString();
    }
}
