package io.stowage.server;

import io.javalin.http.Context;
import io.stowage.BlobContent;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.Function;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;

/**
 * The bytes of an upload, as a stream and never spooled: the raw request body (the type from
 * {@code Content-Type}, the name from {@code ?name=}), or the field {@code file} of a
 * {@code multipart/form-data} body, read with Commons FileUpload's streaming item iterator (the name from
 * {@code ?name=}, else a {@code name} field sent before the file, else the part's file name; the type from
 * the part's {@code Content-Type}). A body whose {@code Content-Length} alone is over the caller's
 * limit is refused before a byte is read.
 */
final class UploadBodies {

    /** What a multipart body may carry beside the file itself (boundaries, part headers, small fields). */
    static final long MULTIPART_OVERHEAD = 64 * 1024;
    static final String FILE_FIELD = "file";
    private static final String NAME_FIELD = "name";
    private static final int MAX_NAME_FIELD = 4096;
    /** Parts a form may send before its file; more is not a form a client of this API sends. */
    static final int MAX_PARTS_BEFORE_FILE = 16;

    /** One upload's name (may be null: none given), media type hint (may be null) and bytes. */
    record Upload(String name, String contentType, BlobContent content) {
    }

    private UploadBodies() {
    }

    /**
     * Reads the request's upload and gives it to {@code save} while the stream is open.
     *
     * @param maxUploadSize the largest version the caller may save, for the check of the declared length
     * @throws StorageException {@code TOO_LARGE} when the declared length says so, {@code INVALID_ARGUMENT}
     *     for a malformed multipart body or one without a {@code file} field
     */
    static <T> T read(Context ctx, long maxUploadSize, Function<Upload, T> save) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        boolean multipart = isMultipart(ctx.contentType());
        if (declared > maxUploadSize + (multipart ? MULTIPART_OVERHEAD : 0)) {
            throw tooLarge(declared, maxUploadSize);
        }
        if (!multipart) {
            try (InputStream body = ctx.req().getInputStream()) {
                BlobContent content = declared >= 0 ? BlobContent.of(body, declared) : BlobContent.ofUnknownLength(body);
                return save.apply(new Upload(ctx.queryParam("name"), mediaType(ctx.contentType()), content));
            }
        }
        return multipart(ctx, save);
    }

    /** The refusal of a body whose {@code Content-Length} alone is over the caller's limit. */
    static StorageException tooLarge(long declared, long maxUploadSize) {
        return StorageException.builder(ErrorKind.TOO_LARGE).operation("upload").message("the body's Content-Length of "
                + declared + " bytes is over the largest upload allowed, " + maxUploadSize + " bytes").build();
    }

    private static <T> T multipart(Context ctx, Function<Upload, T> save) throws IOException {
        String name = ctx.queryParam("name");
        try {
            FileItemInputIterator items = new JakartaServletFileUpload<>().getItemIterator(ctx.req());
            for (int parts = 0; items.hasNext(); parts++) {
                if (parts == MAX_PARTS_BEFORE_FILE) {
                    throw StorageException.invalidArgument("a multipart/form-data upload may send at most "
                            + MAX_PARTS_BEFORE_FILE + " fields before its '" + FILE_FIELD + "' field");
                }
                FileItemInput item = items.next();
                if (item.isFormField() && NAME_FIELD.equals(item.getFieldName()) && name == null) {
                    name = field(item);
                } else if (FILE_FIELD.equals(item.getFieldName())) {
                    String given = name != null ? name : item.getName();
                    try (InputStream in = item.getInputStream()) {
                        return save.apply(new Upload(given, mediaType(item.getContentType()), BlobContent.ofUnknownLength(in)));
                    }
                }
            }
        } catch (FileUploadException e) {
            throw StorageException.invalidArgument("the multipart/form-data body is malformed: " + e.getMessage());
        }
        throw StorageException.invalidArgument("a multipart/form-data upload needs a field named '" + FILE_FIELD
                + "' holding the file");
    }

    private static String field(FileItemInput item) throws IOException {
        try (InputStream in = item.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_NAME_FIELD + 1);
            if (bytes.length > MAX_NAME_FIELD) {
                throw StorageException.invalidArgument("the '" + NAME_FIELD + "' field is too long");
            }
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** The client's media type as a hint (parameters dropped); null when it sent none. */
    static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    }
}
