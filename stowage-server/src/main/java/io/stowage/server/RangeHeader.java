package io.stowage.server;

import io.stowage.ByteRange;
import io.stowage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An HTTP {@code Range} header of RFC 9110 §14.1.2 read as a list of byte ranges ({@code a-b}, {@code a-},
 * {@code -n}, comma separated). A header this server does not take (another unit, bad syntax, a last position
 * before the first, more than {@value #MAX_RANGES} ranges) is ignored, as RFC 9110 lets a server do: the full
 * representation is sent.
 */
final class RangeHeader {

    /** More ranges than this are ignored rather than served (RFC 9110 §15.5.17 lets a server refuse many small ranges). */
    static final int MAX_RANGES = 32;

    private RangeHeader() {
    }

    /** The ranges {@code header} asks for; empty when there is none or it is ignored. */
    static Optional<List<ByteRange>> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
            return Optional.empty();
        }
        String[] specs = h.substring(eq + 1).split(",", -1);
        if (specs.length > MAX_RANGES) {
            return Optional.empty();
        }
        List<ByteRange> ranges = new ArrayList<>(specs.length);
        for (String raw : specs) {
            Optional<ByteRange> range = spec(raw.trim());
            if (range.isEmpty()) {
                return Optional.empty();
            }
            ranges.add(range.get());
        }
        return Optional.of(ranges);
    }

    private static Optional<ByteRange> spec(String spec) {
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf('-', dash + 1) >= 0) {
            return Optional.empty();
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        if (!digits(first) && !(first.isEmpty() && digits(last))) {
            return Optional.empty();
        }
        if (!last.isEmpty() && !digits(last)) {
            return Optional.empty();
        }
        try {
            if (first.isEmpty()) {
                return Optional.of(ByteRange.lastBytes(Long.parseLong(last)));
            }
            long a = Long.parseLong(first);
            return Optional.of(last.isEmpty() ? ByteRange.from(a) : ByteRange.fromTo(a, Long.parseLong(last)));
        } catch (NumberFormatException | StorageException e) {
            // Past Long.MAX_VALUE, or a last position before the first: not a range this server serves.
            return Optional.empty();
        }
    }

    private static boolean digits(String s) {
        if (s.isEmpty() || s.length() > 19) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The ranges that hold at least one byte of an object of {@code size} bytes, resolved, in request order. */
    static List<ByteRange.Resolved> satisfiable(List<ByteRange> ranges, long size) {
        List<ByteRange.Resolved> resolved = new ArrayList<>(ranges.size());
        for (ByteRange r : ranges) {
            try {
                resolved.add(r.resolve(size, null, null));
            } catch (StorageException notSatisfiable) {
                // RFC 9110 §14.2: the unsatisfiable ones are left out; 416 only when none is left.
            }
        }
        return resolved;
    }
}
