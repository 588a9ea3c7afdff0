package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.ByteRange;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.service.FileRead;
import io.stowage.service.FileRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * How every content route answers (files and signed links), by RFC 9110: a strong {@code ETag} from the
 * SHA-256 and {@code Last-Modified}; {@code If-Match}/{@code If-Unmodified-Since} → 412,
 * {@code If-None-Match}/{@code If-Modified-Since} → 304; {@code Range} with {@code If-Range}: one range → 206
 * with {@code Content-Range}, several → a streamed {@code multipart/byteranges}, none satisfiable → 416 with
 * {@code Content-Range: bytes *}{@code /size}; {@code Content-Length} on every body; {@code Accept-Ranges},
 * {@code Content-Disposition} and {@code X-Content-Type-Options: nosniff} always. The bytes go to the servlet's
 * own stream, past Javalin's compression, so the lengths sent are the lengths written.
 */
final class ContentResponses {

    /** What a content route serves: one version's record and a way to read it, whole or in part. */
    interface Source {
        /** The version served; every read must be of this version. */
        FileRecord file();

        /** Opens the whole version ({@code range} empty) or one range of it. */
        FileRead open(Optional<ByteRange> range);
    }

    /** The version changed between the record and a read: the caller starts again with the new record. */
    static final class Changed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Changed() {
            super("the file changed while it was read", null, false, false);
        }
    }

    /** The headers of {@link #headers} that are the same for every file: name, value. */
    private static final String[][] FIXED = {
        {"Accept-Ranges", "bytes"}, {"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "private"}};
    private static final List<HttpField> FIXED_FIELDS = Arrays.stream(FIXED)
            .map(fixed -> (HttpField) new PreEncodedHttpField(fixed[0], fixed[1])).toList();
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private ContentResponses() {
    }

    /**
     * Answers {@code ctx} with {@code source} ({@code disposition} being the {@code Content-Disposition} value).
     *
     * @throws Changed when a read found another version than {@code source.file()} before anything was sent
     */
    static void send(Context ctx, Source source, String disposition) throws IOException {
        FileRecord file = source.file();
        String etag = FileJson.etag(file);
        Instant modified = lastModified(file);
        headers(file, ctx::header);
        if (!preconditionsHold(ctx, etag, modified)) {
            throw StorageException.builder(ErrorKind.PRECONDITION_FAILED).operation("read")
                    .message("the file's current version is not the one the request's If-Match or"
                            + " If-Unmodified-Since names").build();
        }
        if (notModified(ctx, etag, modified)) {
            ctx.status(304);
            return;
        }
        ctx.header("Content-Disposition", disposition);
        boolean head = ctx.method() == HandlerType.HEAD;
        Optional<List<ByteRange>> asked = head || !rangeApplies(ctx, etag, modified)
                ? Optional.empty() : RangeHeader.parse(ctx.header("Range"));
        if (asked.isEmpty()) {
            full(ctx, source, head);
            return;
        }
        List<ByteRange.Resolved> ranges = RangeHeader.satisfiable(asked.get(), file.size());
        if (ranges.isEmpty()) {
            ctx.header("Content-Range", "bytes */" + file.size());
            Problems.send(ctx, 416, ErrorKind.RANGE_NOT_SATISFIABLE.name(),
                    "no range asked for holds a byte of the file, which has " + file.size() + " bytes");
            return;
        }
        if (ranges.size() > 1 && ranges.stream().mapToLong(ByteRange.Resolved::length).sum() > file.size()) {
            // Overlapping ranges would send more than the file (RFC 9110 §14.2 lets a server refuse that): send it once.
            full(ctx, source, false);
            return;
        }
        if (ranges.size() == 1) {
            single(ctx, source, ranges.getFirst());
        } else {
            multipart(ctx, source, ranges);
        }
    }

    /** The time a version's {@code Last-Modified} and date conditions go by: its update, to the second. */
    static Instant lastModified(FileRecord file) {
        return file.updated().truncatedTo(ChronoUnit.SECONDS);
    }

    /** The headers every answer about {@code file} carries, its validators among them, whatever the request asks. */
    static void headers(FileRecord file, BiConsumer<String, String> header) {
        header.accept("ETag", FileJson.etag(file));
        header.accept("Last-Modified", HttpDate.format(lastModified(file)));
        for (String[] fixed : FIXED) {
            header.accept(fixed[0], fixed[1]);
        }
    }

    /**
     * {@link #headers(FileRecord, BiConsumer)} added to a Jetty response's fields, which hold none of them yet: the
     * validators under Jetty's own names, the fixed headers encoded once (adding each by its name looked the name up
     * and encoded its value again on every request; decision 0093).
     */
    static void addHeaders(FileRecord file, HttpFields.Mutable fields) {
        fields.add(new HttpField(HttpHeader.ETAG, FileJson.etag(file)));
        fields.add(new HttpField(HttpHeader.LAST_MODIFIED, HttpDate.format(lastModified(file))));
        for (HttpField fixed : FIXED_FIELDS) {
            fields.add(fixed);
        }
    }

    private static void full(Context ctx, Source source, boolean head) throws IOException {
        if (head) {
            ctx.status(200);
            ctx.res().setContentType(source.file().contentType());
            ctx.res().setContentLengthLong(source.file().size());
            return;
        }
        try (FileRead read = checked(source, Optional.empty())) {
            ctx.status(200);
            ctx.res().setContentType(source.file().contentType());
            ctx.res().setContentLengthLong(read.length());
            copy(read, ctx.res().getOutputStream());
        }
    }

    private static void single(Context ctx, Source source, ByteRange.Resolved range) throws IOException {
        try (FileRead read = checked(source, Optional.of(ByteRange.fromTo(range.first(), range.last())))) {
            ctx.status(206);
            ctx.header("Content-Range", range.contentRange());
            ctx.res().setContentType(source.file().contentType());
            ctx.res().setContentLengthLong(range.length());
            copy(read, ctx.res().getOutputStream());
        }
    }

    /**
     * RFC 9110 §14.6: the parts in the request's order, each read from the store on its own as it is sent,
     * with the exact total length announced first.
     */
    private static void multipart(Context ctx, Source source, List<ByteRange.Resolved> ranges) throws IOException {
        String boundary = UUID.randomUUID().toString().replace("-", "");
        List<byte[]> heads = new ArrayList<>(ranges.size());
        long length = 0;
        for (ByteRange.Resolved r : ranges) {
            byte[] head = ("--" + boundary + "\r\nContent-Type: " + source.file().contentType()
                    + "\r\nContent-Range: " + r.contentRange() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            heads.add(head);
            length += head.length + r.length() + CRLF.length;
        }
        byte[] tail = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        length += tail.length;
        // The first part is opened before the status is set, so a file changed meanwhile is still a clean retry.
        FileRead first = checked(source, Optional.of(ByteRange.fromTo(ranges.getFirst().first(), ranges.getFirst().last())));
        ctx.status(206);
        ctx.res().setContentType("multipart/byteranges; boundary=" + boundary);
        ctx.res().setContentLengthLong(length);
        OutputStream out = ctx.res().getOutputStream();
        for (int i = 0; i < ranges.size(); i++) {
            ByteRange.Resolved r = ranges.get(i);
            try (FileRead read = i == 0 ? first : open(source, r)) {
                out.write(heads.get(i));
                copy(read, out);
                out.write(CRLF);
            }
        }
        out.write(tail);
    }

    private static FileRead open(Source source, ByteRange.Resolved r) throws IOException {
        try {
            return checked(source, Optional.of(ByteRange.fromTo(r.first(), r.last())));
        } catch (Changed e) {
            // Half a response is sent: cutting the connection is the only honest answer left.
            throw new IOException("the file changed while its ranges were sent", e);
        }
    }

    /** A read of the source's own version, else {@link Changed}. */
    private static FileRead checked(Source source, Optional<ByteRange> range) {
        FileRead read = source.open(range);
        if (!read.file().versionId().equals(source.file().versionId())) {
            read.close();
            throw new Changed();
        }
        return read;
    }

    /** The read's bytes to the response; a local file's as a region, past any heap array (decision 0067). */
    private static void copy(FileRead read, OutputStream out) throws IOException {
        try (InputStream in = read.stream()) {
            in.transferTo(new ResponseSink(out));
        }
    }

    private static boolean preconditionsHold(Context ctx, String etag, Instant modified) {
        String ifMatch = ctx.header("If-Match");
        if (ifMatch != null) {
            return matches(ifMatch, etag, false);
        }
        Optional<Instant> unmodifiedSince = date(ctx.header("If-Unmodified-Since"));
        return unmodifiedSince.isEmpty() || !modified.isAfter(unmodifiedSince.get());
    }

    private static boolean notModified(Context ctx, String etag, Instant modified) {
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null) {
            return matches(ifNoneMatch, etag, true);
        }
        Optional<Instant> since = date(ctx.header("If-Modified-Since"));
        return since.isPresent() && !modified.isAfter(since.get());
    }

    /** RFC 9110 §13.1.5: {@code If-Range} with a strong tag, or with exactly the {@code Last-Modified} date. */
    private static boolean rangeApplies(Context ctx, String etag, Instant modified) {
        String ifRange = ctx.header("If-Range");
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"")) {
            return v.equals(etag);
        }
        if (v.startsWith("W/")) {
            return false;
        }
        return date(v).map(modified::equals).orElse(false);
    }

    /**
     * Whether an {@code If-Match}/{@code If-None-Match} list names {@code etag}: {@code *} always does; with
     * {@code weak}, a {@code W/} tag compares by its opaque part (RFC 9110 §8.8.3.2).
     */
    static boolean matches(String header, String etag, boolean weak) {
        for (String part : header.split(",")) {
            String tag = part.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (weak && tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Instant> date(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(header.trim(), HTTP_DATE).toInstant());
        } catch (DateTimeParseException e) {
            // RFC 9110 §13.1.3: an invalid date is ignored.
            return Optional.empty();
        }
    }
}
