package io.stowage;

/**
 * A byte range of an object, as HTTP {@code Range} names them: first-last ({@link #fromTo}),
 * open-ended ({@link #from}) or suffix ({@link #lastBytes}). Positions are inclusive and zero-based.
 *
 * <p>Resolution against an object of {@code size} bytes ({@link #resolve}) follows RFC 9110: a last
 * position past the end is clamped, a suffix longer than the object means the whole object, and a
 * range that starts at or beyond the end (or a zero-length suffix, or any range of an empty object)
 * is not satisfiable.
 */
public record ByteRange(long first, long last, long suffixLength) {

    private static final long NONE = -1;

    public ByteRange {
        if (suffixLength == NONE) {
            if (first < 0) {
                throw StorageException.invalidArgument("range start must be >= 0, was " + first);
            }
            if (last != NONE && last < first) {
                throw StorageException.invalidArgument("range end " + last + " is before its start " + first);
            }
        } else if (suffixLength < 0 || first != NONE || last != NONE) {
            throw StorageException.invalidArgument("invalid suffix range of " + suffixLength + " bytes");
        }
    }

    /** Bytes {@code first} to {@code last}, both inclusive. */
    public static ByteRange fromTo(long first, long last) {
        return new ByteRange(first, last, NONE);
    }

    /** Bytes from {@code first} to the end. */
    public static ByteRange from(long first) {
        return new ByteRange(first, NONE, NONE);
    }

    /** The last {@code n} bytes. */
    public static ByteRange lastBytes(long n) {
        return new ByteRange(NONE, NONE, n);
    }

    /**
     * Parses the value of an HTTP {@code Range} header with one range ({@code bytes=0-99},
     * {@code bytes=100-}, {@code bytes=-50}).
     */
    public static ByteRange parseHttp(String header) {
        String h = header == null ? "" : header.trim();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            throw StorageException.invalidArgument("unsupported Range header '" + StorageException.printable(h) + "'");
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        try {
            if (dash == 0) {
                return lastBytes(Long.parseLong(spec.substring(1)));
            }
            if (dash < 0) {
                throw new NumberFormatException();
            }
            long first = Long.parseLong(spec.substring(0, dash));
            String rest = spec.substring(dash + 1);
            return rest.isEmpty() ? from(first) : fromTo(first, Long.parseLong(rest));
        } catch (NumberFormatException e) {
            throw StorageException.invalidArgument("malformed Range header '" + StorageException.printable(h) + "'");
        }
    }

    public boolean isSuffix() {
        return suffixLength != NONE;
    }

    public boolean isOpenEnded() {
        return !isSuffix() && last == NONE;
    }

    /**
     * The concrete positions of this range in an object of {@code size} bytes.
     *
     * @throws StorageException of kind {@link ErrorKind#RANGE_NOT_SATISFIABLE} when no byte of the
     *     object is in the range
     */
    public Resolved resolve(long size, String backend, BlobKey key) {
        long start;
        long end;
        if (isSuffix()) {
            if (suffixLength == 0 || size == 0) {
                throw StorageException.rangeNotSatisfiable(backend, key, this, size);
            }
            start = Math.max(0, size - suffixLength);
            end = size - 1;
        } else {
            if (first >= size) {
                throw StorageException.rangeNotSatisfiable(backend, key, this, size);
            }
            start = first;
            end = last == NONE ? size - 1 : Math.min(last, size - 1);
        }
        return new Resolved(start, end, size);
    }

    /** The HTTP form, {@code bytes=...}. */
    public String toHttp() {
        if (isSuffix()) {
            return "bytes=-" + suffixLength;
        }
        return "bytes=" + first + "-" + (last == NONE ? "" : Long.toString(last));
    }

    @Override
    public String toString() {
        return toHttp();
    }

    /** A range resolved against an object: {@code first..last} inclusive within {@code total} bytes. */
    public record Resolved(long first, long last, long total) {
        public long length() {
            return last - first + 1;
        }

        /** The HTTP {@code Content-Range} value, {@code bytes first-last/total}. */
        public String contentRange() {
            return "bytes " + first + "-" + last + "/" + total;
        }
    }
}
