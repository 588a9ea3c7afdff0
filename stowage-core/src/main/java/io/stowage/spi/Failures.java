package io.stowage.spi;

/** Helpers for backends that turn an SDK's exceptions into typed errors. */
public final class Failures {

    private Failures() {
    }

    /** The first throwable of {@code type} in {@code e}'s cause chain, or null. */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** The first line of a (service's, often multi-line) message, at most 300 characters; "" for null. */
    public static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String first = s.lines().findFirst().orElse("");
        return first.length() > 300 ? first.substring(0, 300) + "…" : first;
    }
}
