package io.stowage.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.tika.detect.MagicDetector;
import org.apache.tika.detect.TextDetector;
import org.apache.tika.detect.TextStatistics;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeType;
import org.apache.tika.mime.MimeTypeException;
import org.apache.tika.mime.MimeTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tika's {@link MimeTypes#detect} without metadata, answering exactly what it answers for the same bytes, at a
 * fraction of its cost (decision 0069). Type detection is a security boundary (allowed types, SVG never inline), so
 * nothing here decides a type by rules of its own: the magics are Tika's own, read once from the loaded
 * {@code MimeTypes} (its {@code Magic}s in Tika's order, their clause trees, each match's decoded pattern, mask and
 * offset range), and evaluated as Tika evaluates them, with what Tika does per call left out: a stream, a
 * {@code Metadata} and a copy of the window allocated per magic, the regular expressions compiled and the window
 * decoded on every call, a lock per match, and the same all-zero window past the end of short content scanned
 * at every offset.
 * <ul>
 *   <li>What the magics alone do not settle goes to Tika itself: empty content, and a match of {@code
 *       application/xml} or {@code text/html} (Tika then reads the XML root); content no magic matches goes to
 *       Tika's own {@link TextDetector}, as {@code MimeTypes} does.
 *   <li>When Tika's internals are not what this reads (another version, a clause of an unknown kind), every call
 *       goes to Tika: slower, never different. {@code MagicTypesTest} runs both over a corpus, and fails when the
 *       fast path is off.
 * </ul>
 * Thread-safe: everything read at construction is immutable; each call allocates its own matcher.
 */
final class MagicTypes {

    private static final Logger LOG = LoggerFactory.getLogger(MagicTypes.class);
    private static final String XML = "application/xml";
    private static final String HTML = "text/html";

    private final MimeTypes tika;
    private final int headerLength;
    /** Tika's magics in its order, or null when they could not be read (then every call goes to Tika). */
    private final List<Entry> magics;
    /** The byte values the matches tried through the content's index can start with. */
    private final boolean[] indexedValues;
    /** One past the last offset such a match can start at: the index covers the content up to there. */
    private final int indexedEnd;
    /**
     * {@code TextStatistics}' counts and total, to give it the header's byte counts instead of counting them again;
     * null when they are not what this reads (then Tika's {@link TextDetector} counts them).
     */
    private final Field statsCounts;
    private final Field statsTotal;
    /**
     * Per magic, in {@link #magics}' order, the one offset whose byte it needs (decision 0108): a magic that is, or
     * begins with (all of its clauses needed), a byte match tried at that offset alone cannot match unless the
     * content has one of that match's first bytes there; -1 for a magic without one. Most of Tika's magics are such,
     * and most fail there; these two flat arrays answer that without visiting each magic's objects, which with many
     * saving threads were mostly out of the cache: a third of a detection's time went to bringing them back.
     */
    private final int[] firstAt;
    /** The bytes {@link #firstAt} allows, 256 bits (four longs) per magic. */
    private final long[] firstBits;

    MagicTypes(MimeTypes tika) {
        this.tika = tika;
        this.headerLength = tika.getMinLength();
        List<Entry> read;
        try {
            read = readMagics(tika);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.warn("Tika's magics could not be read ({}); type detection goes through Tika's own, slower path", e.toString());
            read = null;
        }
        this.magics = read;
        this.indexedValues = new boolean[256];
        int end = 0;
        for (Match m : read == null ? List.<Match>of() : matches(read)) {
            if (m.indexed()) {
                for (int v : m.firstValues) {
                    indexedValues[v] = true;
                }
                end = Math.max(end, m.end + 1);
            }
        }
        this.indexedEnd = end;
        int size = read == null ? 0 : read.size();
        this.firstAt = new int[size];
        this.firstBits = new long[size * 4];
        for (int k = 0; k < size; k++) {
            Match m = singleOffset(read.get(k).clause());
            firstAt[k] = m == null ? -1 : m.begin;
            for (int v = 0; m != null && v < 256; v++) {
                if (m.first[v]) {
                    firstBits[k * 4 + (v >>> 6)] |= 1L << v;
                }
            }
        }
        Field counts = null;
        Field total = null;
        try {
            counts = field(TextStatistics.class, "counts");
            total = field(TextStatistics.class, "total");
            if (counts.getType() != int[].class || total.getType() != int.class
                    || ((int[]) counts.get(new TextStatistics())).length != 256) {
                counts = null;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            counts = null;
        }
        this.statsCounts = counts;
        this.statsTotal = counts == null ? null : total;
    }

    /**
     * Whether detection evaluates Tika's magics here rather than calling Tika, and hands the text detector its
     * counts (for the equivalence test).
     */
    boolean fast() {
        return magics != null && statsCounts != null;
    }

    /**
     * What {@code tika.detect(in, new Metadata())} answers; reads at most Tika's header length from {@code in},
     * which must support {@code mark}, and leaves it where it was.
     */
    MediaType detect(InputStream in) throws IOException {
        if (magics == null) {
            return tika.detect(in, new Metadata());
        }
        in.mark(headerLength);
        byte[] header;
        try {
            header = readHeader(in);
        } finally {
            in.reset();
        }
        return detect(header);
    }

    /** The type of content whose first bytes (up to Tika's header length, all of them when shorter) are {@code header}. */
    MediaType detect(byte[] header) throws IOException {
        if (magics == null || header.length == 0) {
            return tika.detect(new ByteArrayInputStream(header), new Metadata());
        }
        // Tika collects the matches of the highest priority and answers the first; later ones never change it.
        Header content = new Header(header, indexedValues, indexedEnd);
        for (int k = 0; k < firstAt.length; k++) {
            int at = firstAt[k];
            if (at >= 0) {
                // The match needs the pattern's bytes from offset at: content that ends there or before has none.
                if (at >= header.length) {
                    continue;
                }
                int v = header[at] & 0xff;
                if ((firstBits[k * 4 + (v >>> 6)] & (1L << v)) == 0) {
                    continue;
                }
            }
            Entry magic = magics.get(k);
            if (magic.clause.eval(content)) {
                return isXmlOrHtml(magic.type) ? tika.detect(new ByteArrayInputStream(header), new Metadata())
                        : magic.type.getType();
            }
        }
        return text(content);
    }

    private static boolean isXmlOrHtml(MimeType type) {
        return XML.equals(type.getName()) || HTML.equals(type.getName());
    }

    /**
     * As {@code MimeTypes} does when no magic matches: Tika's text detector over the header. Its statistics are
     * byte counts, which are counted here and handed over rather than counted again, and the detector's rule (mostly
     * ASCII, or UTF-8) asked of them. Counting stops once that rule is false whatever the bytes not yet counted are
     * ({@link #binaryWhateverFollows}): a fifth of random or compressed content settles it (decision 0107).
     */
    private MediaType text(Header header) {
        try {
            MediaType text;
            if (statsCounts == null || header.data.length > headerLength) {
                text = new TextDetector(headerLength).detect(new ByteArrayInputStream(header.data), new Metadata());
            } else {
                int[] counts = header.textCounts(this::binaryWhateverFollows);
                TextStatistics stats = counts == null ? null : stats(counts, header.data.length, 0);
                text = stats != null && (stats.isMostlyAscii() || stats.looksLikeUTF8())
                        ? MediaType.TEXT_PLAIN : MediaType.OCTET_STREAM;
            }
            return tika.forName(text.toString()).getType();
        } catch (IOException | MimeTypeException | ReflectiveOperationException | RuntimeException e) {
            return MediaType.OCTET_STREAM;
        }
    }

    /**
     * Tika's {@code TextStatistics} of content of {@code total} bytes whose counted bytes have {@code counts} and whose
     * {@code rest} other bytes are all ASCII letters.
     */
    private TextStatistics stats(int[] counts, int total, int rest) throws ReflectiveOperationException {
        TextStatistics stats = new TextStatistics();
        int[] into = (int[]) statsCounts.get(stats);
        System.arraycopy(counts, 0, into, 0, 256);
        into['a'] += rest;
        statsTotal.setInt(stats, total);
        return stats;
    }

    /**
     * Whether Tika's text rule answers no for content of {@code total} bytes whose first {@code counted} have
     * {@code counts}, whatever the others are. Its UTF-8 rule wants no byte from {@code 0xF8} on ({@code count(0xf8,
     * 0x100) == 0} in {@code looksLikeUTF8}): one counted, it cannot hold. Its ASCII rule is asked of Tika with every
     * byte not counted an ASCII letter, the most the rest could do for it (it adds to the ASCII count and to no
     * control count): no there, no for the content.
     */
    private boolean binaryWhateverFollows(int[] counts, int counted, int total) throws ReflectiveOperationException {
        boolean notUtf8 = false;
        for (int v = 0xf8; v < 0x100 && !notUtf8; v++) {
            notUtf8 = counts[v] > 0;
        }
        return notUtf8 && !stats(counts, total, total - counted).isMostlyAscii();
    }

    /** How many of {@code header}'s bytes the text rule counted before it was settled (tests). */
    int textBytesCounted(byte[] header) throws ReflectiveOperationException {
        int[] counted = new int[1];
        int[] counts = new Header(header, indexedValues, indexedEnd).textCounts((c, n, total) -> {
            counted[0] = n;
            return binaryWhateverFollows(c, n, total);
        });
        return counts == null ? counted[0] : header.length;
    }

    /** As Tika reads its header: until the end of the content or its header length, whichever comes first. */
    private byte[] readHeader(InputStream in) throws IOException {
        return in.readNBytes(headerLength);
    }

    /** A byte pattern of one of Tika's magics and the offsets it is tried at, to build samples from (tests). */
    record Seed(int begin, int end, byte[] pattern, boolean regex) {
    }

    /** Every match of every magic, in Tika's order (empty when the fast path is off). */
    List<Seed> seeds() {
        return magics == null ? List.of() : matches(magics).stream().map(m -> new Seed(m.begin, m.end,
                m.regex != null ? m.pattern.clone() : java.util.Arrays.copyOf(m.pattern, m.length), m.regex != null))
                .toList();
    }

    /**
     * The byte match at a single offset that {@code clause} cannot match without: the clause itself, or the first
     * such of an {@link All}'s clauses; null when there is none.
     */
    private static Match singleOffset(Clause clause) {
        return switch (clause) {
            case Match m -> m.regex == null && m.begin == m.end && m.first != null ? m : null;
            case All all -> java.util.Arrays.stream(all.clauses).map(MagicTypes::singleOffset)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            case AtLeast ignored -> null;
        };
    }

    /** How many magics {@link #detect} can pass over by one byte of the content (tests). */
    int byFirstByte() {
        return (int) java.util.Arrays.stream(firstAt).filter(at -> at >= 0).count();
    }

    /** Every match under {@code magics}' clauses, in Tika's order. */
    private static List<Match> matches(List<Entry> magics) {
        List<Match> out = new ArrayList<>();
        magics.forEach(magic -> collect(magic.clause(), out));
        return out;
    }

    private static void collect(Clause clause, List<Match> out) {
        switch (clause) {
            case All all -> java.util.Arrays.stream(all.clauses).forEach(c -> collect(c, out));
            case AtLeast some -> java.util.Arrays.stream(some.clauses).forEach(c -> collect(c, out));
            case Match m -> out.add(m);
        }
    }

    // ---- Tika's magics, as read from its objects ----------------------------------------------

    private record Entry(MimeType type, Clause clause) {
    }

    private sealed interface Clause permits All, AtLeast, Match {
        boolean eval(Header data);
    }

    private record All(Clause[] clauses) implements Clause {
        @Override
        public boolean eval(Header data) {
            for (Clause c : clauses) {
                if (!c.eval(data)) {
                    return false;
                }
            }
            return true;
        }
    }

    private record AtLeast(int min, Clause[] clauses) implements Clause {
        @Override
        public boolean eval(Header data) {
            int matched = 0;
            for (Clause c : clauses) {
                if (c.eval(data) && ++matched >= min) {
                    return true;
                }
            }
            return false;
        }
    }

    private static List<Entry> readMagics(MimeTypes tika) throws ReflectiveOperationException {
        List<?> magics = (List<?>) field(MimeTypes.class, "magics").get(tika);
        List<Entry> out = new ArrayList<>(magics.size());
        for (Object magic : magics) {
            Class<?> type = magic.getClass();
            out.add(new Entry((MimeType) field(type, "type").get(magic), clause(field(type, "clause").get(magic))));
        }
        return List.copyOf(out);
    }

    private static Clause clause(Object clause) throws ReflectiveOperationException {
        Class<?> type = clause.getClass();
        switch (type.getName()) {
            case "org.apache.tika.mime.AndClause" -> {
                return new All(clauses(List.of((Object[]) field(type, "clauses").get(clause))));
            }
            case "org.apache.tika.mime.OrClause" -> {
                return new AtLeast(1, clauses((List<?>) field(type, "clauses").get(clause)));
            }
            case "org.apache.tika.mime.MinShouldMatchClause" -> {
                return new AtLeast(field(type, "min").getInt(clause), clauses((List<?>) field(type, "clauses").get(clause)));
            }
            case "org.apache.tika.mime.MagicMatch" -> {
                Method detector = type.getDeclaredMethod("getDetector");
                detector.setAccessible(true);
                return Match.of((MagicDetector) detector.invoke(clause));
            }
            default -> throw new IllegalStateException("a magic clause of an unknown kind: " + type.getName());
        }
    }

    private static Clause[] clauses(List<?> clauses) throws ReflectiveOperationException {
        Clause[] out = new Clause[clauses.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = clause(clauses.get(i));
        }
        return out;
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /**
     * One of Tika's {@link MagicDetector}s, evaluated as its {@code detect} does over the content's first bytes: the
     * window is the {@code length + (end - begin)} bytes from {@code begin}, zeros where the content ends first; the
     * pattern is tried at every offset of the range. A window wholly past the content is all zeros, whatever its
     * offset, so it is tried once.
     */
    private static final class Match implements Clause {
        private final int begin;
        private final int end;
        private final int length;
        private final byte[] pattern;
        private final byte[] mask;
        private final boolean ignoreCase;
        private final Pattern regex;
        /** {@code MagicMatch} counts a detector answering {@code OCTET_STREAM} (the very instance) as no match. */
        private final boolean never;
        /**
         * The bytes a match can start with, by value ({@code b & 0xff}); null when any. Offsets starting with another
         * byte are skipped, which is where the time of a wide offset range went.
         */
        private final boolean[] first;
        /** The values {@link #first} holds, in order; null when any byte may start a match. */
        private final int[] firstValues;

        private Match(MagicDetector d) throws ReflectiveOperationException {
            Class<?> t = MagicDetector.class;
            this.begin = field(t, "offsetRangeBegin").getInt(d);
            this.end = field(t, "offsetRangeEnd").getInt(d);
            this.length = field(t, "length").getInt(d);
            this.pattern = ((byte[]) field(t, "pattern").get(d)).clone();
            this.mask = ((byte[]) field(t, "mask").get(d)).clone();
            this.ignoreCase = field(t, "isStringIgnoreCase").getBoolean(d);
            boolean isRegex = field(t, "isRegex").getBoolean(d);
            this.regex = isRegex ? Pattern.compile(new String(pattern, StandardCharsets.UTF_8),
                    ignoreCase ? Pattern.CASE_INSENSITIVE : 0) : null;
            this.never = field(t, "type").get(d) == MediaType.OCTET_STREAM;
            if (begin < 0 || end < begin || length <= 0
                    || (!isRegex && (pattern.length < length || mask.length < length))) {
                throw new IllegalStateException("a magic of an unexpected shape: " + d);
            }
            this.first = isRegex ? RegexStart.firstChars(new String(pattern, StandardCharsets.UTF_8), ignoreCase)
                    : firstBytes();
            this.firstValues = first == null ? null
                    : java.util.stream.IntStream.range(0, 256).filter(v -> first[v]).toArray();
        }

        private boolean[] firstBytes() {
            boolean[] out = new boolean[256];
            for (int b = 0; b < 256; b++) {
                out[b] = same((byte) b, 0);
            }
            return out;
        }

        static Match of(MagicDetector d) throws ReflectiveOperationException {
            return new Match(d);
        }

        @Override
        public boolean eval(Header header) {
            byte[] data = header.data;
            if (never || data.length < begin) {
                return false;
            }
            // The bytes of the window that come from the content; the rest of it is zeros.
            int available = Math.min(length + end - begin, data.length - begin);
            return regex != null ? evalRegex(header, available) : evalBytes(header, available);
        }

        /** Whether offsets are better found through the content's index than tried one by one. */
        private boolean indexed() {
            return firstValues != null && firstValues.length <= 4 && end - begin >= 64;
        }

        private boolean evalBytes(Header header, int available) {
            byte[] data = header.data;
            if (available < length) {
                return false;
            }
            int last = end - begin;
            int inside = Math.min(last, available - length);
            if (indexed()) {
                for (int v : firstValues) {
                    for (int k = header.from(v, begin), to = header.to(v); k < to; k++) {
                        int at = header.positions[k];
                        if (at > begin + inside) {
                            break;
                        }
                        if (matchesAt(data, at)) {
                            return true;
                        }
                    }
                }
            } else {
                for (int i = 0; i <= inside; i++) {
                    if (first[data[begin + i] & 0xff] && matchesAt(data, begin + i)) {
                        return true;
                    }
                }
            }
            // Offsets whose window runs past the content: the bytes there are zeros.
            for (int i = inside + 1; i <= last; i++) {
                if (i >= available) {
                    return matchesZerosFrom(0);
                }
                if (matchesPartly(data, i, available)) {
                    return true;
                }
            }
            return false;
        }

        private boolean matchesAt(byte[] data, int at) {
            for (int j = 0; j < length; j++) {
                if (!same(data[at + j], j)) {
                    return false;
                }
            }
            return true;
        }

        private boolean matchesPartly(byte[] data, int i, int available) {
            for (int j = 0; j < length; j++) {
                byte b = i + j < available ? data[begin + i + j] : 0;
                if (!same(b, j)) {
                    return false;
                }
            }
            return true;
        }

        private boolean matchesZerosFrom(int j) {
            for (; j < length; j++) {
                if (!same((byte) 0, j)) {
                    return false;
                }
            }
            return true;
        }

        private boolean same(byte b, int j) {
            int c = b & mask[j];
            if (ignoreCase) {
                c = Character.toLowerCase(c);
            }
            return c == pattern[j];
        }

        private boolean evalRegex(Header header, int available) {
            byte[] data = header.data;
            Window window = new Window(data, begin, Math.max(available, 0), length + end - begin);
            java.util.regex.Matcher m = regex.matcher(window);
            int last = end - begin;
            if (indexed()) {
                // Only offsets whose first character can start a match, then the all-zero window past the content.
                int lastInside = Math.min(last, available - 1);
                for (int v : firstValues) {
                    for (int k = header.from(v, begin), to = header.to(v); k < to; k++) {
                        int i = header.positions[k] - begin;
                        if (i > lastInside) {
                            break;
                        }
                        if (m.region(i, length + i).lookingAt()) {
                            return true;
                        }
                    }
                }
                int zeros = Math.max(available, 0);
                return zeros <= last && m.region(zeros, length + zeros).lookingAt();
            }
            for (int i = 0; i <= last; i++) {
                if (first != null && i < available && !first[data[begin + i] & 0xff]) {
                    continue;
                }
                m.region(i, length + i);
                if (m.lookingAt()) {
                    return true;
                }
                if (i >= available) {
                    // Every later window is all zeros too: the same answer.
                    return false;
                }
            }
            return false;
        }
    }

    /**
     * The content's first bytes, with an index made on first use: where each byte value occurs, in order, so a
     * match tried over a wide offset range goes only to the offsets that start with a byte it can start with.
     */
    private static final class Header {
        /** How many bytes the text rule counts between two looks at whether it is settled. */
        private static final int TEXT_BLOCK = 16_384;
        final byte[] data;
        /** The byte values an indexed match can start with: the only ones {@link #positions} holds. */
        private final boolean[] indexedValues;
        /** The offsets {@link #positions} covers: those below it, where an indexed match can start. */
        private final int indexedEnd;
        /** Offsets of the indexed values, grouped by value, ascending within one; {@code starts[v]} is where v's begin. */
        int[] positions;
        private int[] starts;

        Header(byte[] data, boolean[] indexedValues, int indexedEnd) {
            this.data = data;
            this.indexedValues = indexedValues;
            this.indexedEnd = Math.min(indexedEnd, data.length);
        }

        /**
         * The first index in {@link #positions} of value {@code v} at an offset of at least {@code offset}; {@code v}
         * must be one of the indexed values.
         */
        int from(int v, int offset) {
            if (positions == null) {
                index();
            }
            int lo = starts[v];
            int hi = starts[v + 1];
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (positions[mid] < offset) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** The index in {@link #positions} after value {@code v}'s offsets. */
        int to(int v) {
            return starts[v + 1];
        }

        /**
         * How many times each byte value occurs in the content; null as soon as {@code settled} says, after a block of
         * {@link #TEXT_BLOCK} bytes, that the text rule is no whatever the rest is. It is asked only once a byte from
         * {@code 0xF8} on was counted (without one, Tika's UTF-8 rule may still hold), so text, which has none, pays
         * for a look at eight counts a block.
         */
        int[] textCounts(Settled settled) throws ReflectiveOperationException {
            // Four tallies, one per byte of each four: a run of one value then increments four counters in turn
            // instead of waiting on one (text is such runs).
            int[] lanes = new int[1024];
            int n = data.length;
            int i = 0;
            while (true) {
                int stop = Math.min(n, i + TEXT_BLOCK);
                for (; i + 3 < stop; i += 4) {
                    lanes[data[i] & 0xff]++;
                    lanes[256 + (data[i + 1] & 0xff)]++;
                    lanes[512 + (data[i + 2] & 0xff)]++;
                    lanes[768 + (data[i + 3] & 0xff)]++;
                }
                for (; i < stop; i++) {
                    lanes[data[i] & 0xff]++;
                }
                if (i == n) {
                    return merged(lanes);
                }
                if (countedFromF8(lanes) && settled.binary(merged(lanes), i, n)) {
                    return null;
                }
            }
        }

        private static boolean countedFromF8(int[] lanes) {
            for (int v = 0xf8; v < 0x100; v++) {
                if ((lanes[v] | lanes[256 + v] | lanes[512 + v] | lanes[768 + v]) != 0) {
                    return true;
                }
            }
            return false;
        }

        private static int[] merged(int[] lanes) {
            int[] c = new int[256];
            for (int v = 0; v < 256; v++) {
                c[v] = lanes[v] + lanes[256 + v] + lanes[512 + v] + lanes[768 + v];
            }
            return c;
        }

        /**
         * Where each indexed value occurs, up to the last offset an indexed match starts at. Only those values and
         * offsets are placed: placing every byte of the header was most of the time of a detection.
         */
        private void index() {
            int[] next = new int[257];
            for (int i = 0; i < indexedEnd; i++) {
                int v = data[i] & 0xff;
                if (indexedValues[v]) {
                    next[v + 1]++;
                }
            }
            for (int v = 0; v < 256; v++) {
                next[v + 1] += next[v];
            }
            starts = next.clone();
            int[] out = new int[next[256]];
            for (int i = 0; i < indexedEnd; i++) {
                int v = data[i] & 0xff;
                if (indexedValues[v]) {
                    out[next[v]++] = i;
                }
            }
            positions = out;
        }
    }

    /**
     * Whether the text rule is no for content of {@code total} bytes whose first {@code counted} have {@code counts}.
     */
    @FunctionalInterface
    private interface Settled {
        boolean binary(int[] counts, int counted, int total) throws ReflectiveOperationException;
    }

    /** The window as Tika decodes it (ISO-8859-1: one char per byte), zeros past the content. */
    private record Window(byte[] data, int from, int available, int length) implements CharSequence {
        @Override
        public char charAt(int index) {
            if (index < 0 || index >= length) {
                throw new IndexOutOfBoundsException(index);
            }
            return index < available ? (char) (data[from + index] & 0xff) : '\0';
        }

        @Override
        public CharSequence subSequence(int start, int stop) {
            StringBuilder out = new StringBuilder(stop - start);
            for (int i = start; i < stop; i++) {
                out.append(charAt(i));
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return subSequence(0, length).toString();
        }
    }
}
