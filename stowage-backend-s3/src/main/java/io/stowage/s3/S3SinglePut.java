package io.stowage.s3;

import io.stowage.BlobKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.InterceptorContext;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * A single-request put over plain HTTP sent without the SDK's request pipeline (decision 0088): the request
 * is built here, signed with SigV4 in its headers with the body's SHA-256 as its signed payload hash
 * ({@link S3HeaderSigner}, the SDK's header signer's result computed in one pass) and sent over kept-alive
 * connections of its own ({@link S3PlainHttp}: {@code connect_timeout}, {@code request_timeout} without a
 * byte). Per small object the SDK's pipeline (marshalling, interceptors, endpoint and auth-scheme
 * resolution, retry bookkeeping, response unmarshalling) cost several times what the request itself does
 * (decision 0071), and after it the Apache client and the SDK's signer were the largest shares (decision
 * 0094).
 *
 * <p>What stays as the SDK sends it: the headers of a PutObject (content type and length, the metadata with
 * the object's SHA-256, storage class, server-side encryption, {@code If-None-Match}, {@code Expect:
 * 100-continue} from 1 MiB as the SDK's threshold), the signature, and one attempt (the store's retry layer
 * retries the put, decision 0015). The body's SHA-256 is signed, so the server refuses a body that does not
 * match it and stores nothing, as it does the SDK's. A failure is an {@link S3Exception} (the status, error
 * code and message of the server's answer) or an {@link SdkClientException} around the I/O error, which
 * {@link S3Errors} maps to the same kinds as the SDK's own.
 *
 * <p>The parts of a multipart upload go the same way ({@link #part}, decision 0099): the SDK's Apache client wrote
 * a part's body to the socket 8 KiB at a time (a 1 GiB upload made 130,000 writes), this client in writes of
 * 128 KiB; the upload's other requests (create, complete, abort) stay the SDK's. Gets go this way too ({@link #get},
 * decision 0105): each ranged read of a large get and each file of a batch get ran the SDK's pipeline.
 *
 * <p>The bucket's check (HeadBucket) and the pages of a listing (ListObjectsV2, read by {@link S3ListXml}) go the
 * same way too (decision 0104): with them, a store that checks, lists and puts small objects (a raw migration's
 * target) builds no SDK client at all, and its classes, a third of such a command's, stay out of its start.
 *
 * <p>Only where the SDK itself signs each body whole (plain HTTP, checksums only where required, decision
 * 0062), with path-style addressing, and no proxy set for plain HTTP. Thread-safe; closing it closes its
 * connections.
 */
final class S3SinglePut implements AutoCloseable {

    /** From this length on the SDK asks for {@code 100-continue} before sending a body; so does this put. */
    private static final long EXPECT_CONTINUE_FROM = 1024 * 1024;
    /** How much of an error answer is read for its code and message. */
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    /**
     * The most one page of a listing may answer: 1,000 keys of up to 1,024 bytes, escaped, with their other
     * fields, stay well under it; a larger answer fails rather than being cut.
     */
    private static final int LIST_BODY_LIMIT = 32 * 1024 * 1024;
    /** The SHA-256 of an empty body, the payload hash of a request without one. */
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final S3BlobStoreConfig config;
    private final S3PlainHttp http;
    private final S3HeaderSigner signer;
    private final AwsCredentialsProvider credentials;
    private final List<ExecutionInterceptor> interceptors;
    private final String host;
    private final int port;
    private final String hostHeader;
    private final String bucketPath;
    /** The bucket's own path, without the slash before a key: what bucket requests (check, listing) go to. */
    private final String bucketOnly;

    /** What the server answered to a stored object. */
    record Stored(String etag, String versionId) {
    }

    private S3SinglePut(S3BlobStoreConfig config, AwsCredentialsProvider credentials,
            List<ExecutionInterceptor> interceptors) {
        this.config = config;
        this.credentials = credentials;
        this.interceptors = List.copyOf(interceptors);
        URI endpoint = config.endpoint().orElseThrow();
        this.host = endpoint.getHost();
        this.port = endpoint.getPort() < 0 ? 80 : endpoint.getPort();
        this.hostHeader = S3PlainHttp.hostHeader(host, port);
        String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.bucketOnly = base + "/" + SdkHttpUtils.urlEncode(config.bucket());
        this.bucketPath = bucketOnly + "/";
        this.signer = new S3HeaderSigner(config.region());
        this.http = new S3PlainHttp(host, port, config.connectTimeout(), config.requestTimeout(),
                Math.max(50, config.uploadConcurrency() * 4));
    }

    /**
     * The light path for {@code config}, or null where the SDK's request is kept: over HTTPS (payloads go
     * unsigned and the SDK adds the checksums), with flexible checksums, or with virtual-host addressing.
     */
    static S3SinglePut forConfig(S3BlobStoreConfig config, List<ExecutionInterceptor> interceptors) {
        if (!S3Clients.plainHttp(config) || !config.checksumsWhenRequired() || !config.pathStyle()
                || proxied(System::getProperty, System::getenv)) {
            return null;
        }
        return new S3SinglePut(config, S3Clients.credentials(config), interceptors);
    }

    /**
     * Whether a proxy for plain HTTP is set where the SDK's Apache client looks for one (the JVM's
     * {@code http.proxyHost}, the environment's {@code HTTP_PROXY}): then the SDK's put goes through it, as
     * before, since this put connects directly.
     */
    static boolean proxied(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        for (String value : new String[] {properties.apply("http.proxyHost"), environment.apply("HTTP_PROXY"),
            environment.apply("http_proxy")}) {
            if (value != null && !value.isBlank()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stores {@code buf[0..n)} at {@code key}; {@code sha256} (lower-case hex) is the body's digest and is
     * signed as its payload hash. {@code metadata} is what goes into {@code x-amz-meta-*}, already encoded.
     */
    Stored put(BlobKey key, byte[] buf, int n, String sha256, Map<String, String> metadata, S3Writer.Headers h) {
        String contentType = h.contentType() == null ? "binary/octet-stream" : h.contentType();
        String path = bucketPath + SdkHttpUtils.urlEncodeIgnoreSlashes(key.value());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", hostHeader);
        headers.put("Content-Type", contentType);
        headers.put("Content-Length", Integer.toString(n));
        headers.put(KnownPayloadHashSigner.HEADER, sha256);
        metadata.forEach((name, value) -> headers.put("x-amz-meta-" + name, value));
        if (h.storageClass() != null) {
            headers.put("x-amz-storage-class", h.storageClass());
        }
        if (config.sse().isPresent()) {
            headers.put("x-amz-server-side-encryption", config.sse().get());
            config.sseKmsKeyId().ifPresent(id -> headers.put("x-amz-server-side-encryption-aws-kms-key-id", id));
        }
        if (h.createOnly()) {
            headers.put("If-None-Match", "*");
        }
        S3PlainHttp.Response answer = send(key, path, "", headers, buf, n, sha256,
                () -> PutObjectRequest.builder().bucket(config.bucket()).key(key.value()).build(), contentType);
        return new Stored(answer.header("ETag"), answer.header("x-amz-version-id"));
    }

    /**
     * Sends {@code buf[0..n)} as part {@code partNumber} of the multipart upload {@code uploadId} of {@code key}
     * (an UploadPart: PUT with {@code partNumber} and {@code uploadId} in the query) and returns its ETag;
     * {@code sha256} (lower-case hex) is the part's digest, signed as its payload hash, so the server refuses a
     * part that does not match it. The body goes to the socket in writes of the JDK's largest (128 KiB), where
     * the SDK's Apache client wrote it 8 KiB at a time (decision 0099).
     */
    String part(BlobKey key, String uploadId, int partNumber, byte[] buf, int n, String sha256) {
        String path = bucketPath + SdkHttpUtils.urlEncodeIgnoreSlashes(key.value());
        // SigV4's canonical query: names in order ("partNumber" before "uploadId"), values URI-encoded.
        String query = "partNumber=" + partNumber + "&uploadId=" + SdkHttpUtils.urlEncode(uploadId);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", hostHeader);
        headers.put("Content-Type", "application/octet-stream");
        headers.put("Content-Length", Integer.toString(n));
        headers.put(KnownPayloadHashSigner.HEADER, sha256);
        return send(key, path, query, headers, buf, n, sha256, () -> UploadPartRequest.builder().bucket(config.bucket())
                .key(key.value()).uploadId(uploadId).partNumber(partNumber).build(), "application/octet-stream")
                .header("ETag");
    }

    /** What a get received: the answer's status and headers, and its body open on the connection. */
    record Fetched(S3PlainHttp.Response answer, InputStream body) {
    }

    /**
     * Reads {@code key} (of {@code versionId} when not null) with a GetObject over this client (decision 0105):
     * {@code range} ({@code bytes=a-b}), {@code ifMatch} and {@code ifNoneMatch} as their headers when not null.
     * The body streams from the socket into the reader's array; closing it before its end drops the connection.
     * A refusal (404, 412, 416, ...) is thrown as the SDK's get would throw it.
     */
    Fetched get(BlobKey key, String versionId, String range, String ifMatch, String ifNoneMatch) {
        String path = bucketPath + SdkHttpUtils.urlEncodeIgnoreSlashes(key.value());
        String query = versionId == null ? "" : "versionId=" + SdkHttpUtils.urlEncode(versionId);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", hostHeader);
        headers.put(KnownPayloadHashSigner.HEADER, EMPTY_SHA256);
        if (range != null) {
            headers.put("Range", range);
        }
        if (ifMatch != null) {
            headers.put("If-Match", ifMatch);
        }
        if (ifNoneMatch != null) {
            headers.put("If-None-Match", ifNoneMatch);
        }
        byte[] head = signedHead("GET", "the get of '" + key + "'", path, query, headers, EMPTY_SHA256);
        beforeTransmission("GET", () -> GetObjectRequest.builder().bucket(config.bucket()).key(key.value()).versionId(versionId)
                .range(range).ifMatch(ifMatch).ifNoneMatch(ifNoneMatch).build(), path, query, headers, null, 0, null);
        S3PlainHttp.Streamed answer;
        try {
            answer = http.open(head, ERROR_BODY_LIMIT);
        } catch (IOException e) {
            throw ioFailure(e);
        }
        S3PlainHttp.Response r = answer.response();
        if (r.status() >= 200 && r.status() < 300) {
            return new Fetched(r, answer.body() == null ? InputStream.nullInputStream() : answer.body());
        }
        throw serviceError(r);
    }

    /** Signs and sends one PUT of {@code buf[0..n)}; the server's answer if it took it, else its refusal thrown. */
    private S3PlainHttp.Response send(BlobKey key, String path, String query, Map<String, String> headers, byte[] buf, int n,
            String sha256, Supplier<software.amazon.awssdk.core.SdkRequest> request, String contentType) {
        boolean expectContinue = n >= EXPECT_CONTINUE_FROM;
        if (expectContinue) {
            headers.put("Expect", "100-continue");
        }
        S3PlainHttp.Response answer = exchange("PUT", "the put of '" + key + "'", path, query, headers, buf, n, sha256,
                request, contentType, expectContinue, ERROR_BODY_LIMIT);
        if (answer.status() >= 200 && answer.status() < 300) {
            return answer;
        }
        throw serviceError(answer);
    }

    /**
     * Whether the bucket exists (HeadBucket): true on 2xx, false on 404; any other answer is thrown as the SDK's
     * {@link S3Exception} (HEAD answers carry no error document, so it has the status alone, as the SDK's has).
     */
    boolean bucketExists() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", hostHeader);
        headers.put(KnownPayloadHashSigner.HEADER, EMPTY_SHA256);
        S3PlainHttp.Response answer = exchange("HEAD", "the check of bucket '" + config.bucket() + "'", bucketOnly, "",
                headers, new byte[0], 0, EMPTY_SHA256,
                () -> HeadBucketRequest.builder().bucket(config.bucket()).build(), null, false, 0);
        if (answer.status() >= 200 && answer.status() < 300) {
            return true;
        }
        if (answer.status() == 404) {
            return false;
        }
        throw serviceError(answer);
    }

    /**
     * One page of ListObjectsV2 (decision 0104): the keys under {@code prefix} (empty: all) after the page that
     * {@code continuationToken} (null: the first) ends, at most {@code maxKeys}, grouped under {@code delimiter}
     * (null: none). The request is the SDK's ListObjectsV2 (no {@code encoding-type}: s3proxy would encode the
     * continuation token too, which then no longer names where the page ended); {@link S3ListXml} decodes keys
     * that a server URL-encoded all the same and said so, as the SDK does.
     */
    S3ListXml.Page list(String prefix, String delimiter, String continuationToken, int maxKeys) {
        // SigV4's canonical query: names in order, each name and value URI-encoded; sent as signed.
        StringBuilder q = new StringBuilder(128);
        if (continuationToken != null) {
            q.append("continuation-token=").append(SdkHttpUtils.urlEncode(continuationToken)).append('&');
        }
        if (delimiter != null) {
            q.append("delimiter=").append(SdkHttpUtils.urlEncode(delimiter)).append('&');
        }
        q.append("list-type=2&max-keys=").append(maxKeys);
        if (!prefix.isEmpty()) {
            q.append("&prefix=").append(SdkHttpUtils.urlEncode(prefix));
        }
        String query = q.toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", hostHeader);
        headers.put(KnownPayloadHashSigner.HEADER, EMPTY_SHA256);
        S3PlainHttp.Response answer = exchange("GET", "the listing of bucket '" + config.bucket() + "'", bucketOnly,
                query, headers, new byte[0], 0, EMPTY_SHA256, () -> ListObjectsV2Request.builder().bucket(config.bucket())
                        .prefix(prefix).delimiter(delimiter).continuationToken(continuationToken).maxKeys(maxKeys)
                        .build(), null, false, LIST_BODY_LIMIT);
        if (answer.status() < 200 || answer.status() >= 300) {
            throw serviceError(answer);
        }
        if (answer.body().length >= LIST_BODY_LIMIT) {
            throw SdkClientException.create("the listing of bucket '" + config.bucket() + "' answered more than "
                    + LIST_BODY_LIMIT + " bytes for one page");
        }
        try {
            return S3ListXml.parse(answer.body());
        } catch (IOException e) {
            throw SdkClientException.create("the listing of bucket '" + config.bucket() + "' answered a document that"
                    + " is not a ListObjectsV2 result: " + e.getMessage(), e);
        }
    }

    /**
     * Signs {@code headers} (with {@code Host} and the payload hash among them) for {@code method} on {@code path}
     * and {@code query} (canonical), shows the request to the interceptors and sends it with {@code buf[0..n)};
     * the server's answer, whatever its status. A failure to send or to read is the SDK's client exception.
     */
    private S3PlainHttp.Response exchange(String method, String what, String path, String query,
            Map<String, String> headers, byte[] buf, int n, String sha256,
            Supplier<software.amazon.awssdk.core.SdkRequest> request, String contentType, boolean expectContinue,
            int bodyLimit) {
        byte[] head = signedHead(method, what, path, query, headers, sha256);
        beforeTransmission(method, request, path, query, headers, buf, n, contentType);
        try {
            return http.exchange(head, buf, n, expectContinue, bodyLimit, method.equals("HEAD"));
        } catch (IOException e) {
            throw ioFailure(e);
        }
    }

    /**
     * Signs {@code headers} (with {@code Host} and the payload hash among them) for {@code method} on {@code path}
     * and {@code query} (canonical) and returns the request's head as sent; a signing failure is the SDK's client
     * exception naming {@code what}.
     */
    private byte[] signedHead(String method, String what, String path, String query, Map<String, String> headers,
            String sha256) {
        try {
            signer.sign(method, path, query, headers, sha256, credentials.resolveCredentials(), Instant.now());
            return S3PlainHttp.head(method, query.isEmpty() ? path : path + "?" + query, headers);
        } catch (SdkException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SdkClientException.create("signing " + what + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.close();
    }

    /** Connections kept open for the next request (tests). */
    int idleConnections() {
        return http.idleConnections();
    }

    /** The interceptors a store was opened with (tests record requests with them) see this request too. */
    private void beforeTransmission(String method, Supplier<software.amazon.awssdk.core.SdkRequest> request, String path,
            String query, Map<String, String> headers, byte[] buf, int n, String contentType) {
        if (interceptors.isEmpty()) {
            return;
        }
        SdkHttpRequest.Builder sent = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).protocol("http").host(host)
                .port(port).encodedPath(path);
        for (String param : query.isEmpty() ? new String[0] : query.split("&")) {
            int eq = param.indexOf('=');
            sent.appendRawQueryParameter(param.substring(0, eq), SdkHttpUtils.urlDecode(param.substring(eq + 1)));
        }
        headers.forEach(sent::putHeader);
        SdkHttpRequest signed = sent.build();
        ContentStreamProvider body = () -> new ByteArrayInputStream(buf, 0, n);
        InterceptorContext.Builder context = InterceptorContext.builder().request(request.get()).httpRequest(signed);
        if (contentType != null) {
            context.requestBody(RequestBody.fromContentProvider(body, n, contentType));
        }
        ExecutionAttributes attributes = new ExecutionAttributes();
        try {
            for (ExecutionInterceptor i : interceptors) {
                i.beforeTransmission(context.build(), attributes);
            }
        } catch (SdkException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SdkClientException.create(String.valueOf(e.getMessage()), e);
        }
    }

    /** An I/O failure as the SDK reports one; interrupted when the thread was (the socket closed under it). */
    private static SdkClientException ioFailure(IOException e) {
        if (Thread.currentThread().isInterrupted() && !(e instanceof InterruptedIOException)) {
            InterruptedIOException interrupted = new InterruptedIOException("interrupted: " + e.getMessage());
            interrupted.addSuppressed(e);
            return SdkClientException.create("Unable to execute HTTP request: interrupted", interrupted);
        }
        return SdkClientException.create("Unable to execute HTTP request: " + e.getMessage(), e);
    }

    private static S3Exception serviceError(S3PlainHttp.Response answer) {
        return serviceError(SdkHttpResponse.builder().statusCode(answer.status()).statusText(answer.reason())
                .headers(answer.headers()).build(), answer.body());
    }

    /** The server's refusal as the SDK would have thrown it: status, error code and message, request id. */
    static S3Exception serviceError(SdkHttpResponse answer, byte[] body) {
        String xml = new String(body, StandardCharsets.UTF_8);
        String code = element(xml, "Code");
        String message = element(xml, "Message");
        int status = answer.statusCode();
        AwsErrorDetails details = AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3")
                .sdkHttpResponse(answer).build();
        return (S3Exception) S3Exception.builder().statusCode(status).awsErrorDetails(details)
                .requestId(answer.firstMatchingHeader("x-amz-request-id").orElse(null))
                .message((message == null ? "HTTP " + status : message) + " (Service: S3, Status Code: " + status
                        + (code == null ? "" : ", Error Code: " + code) + ")")
                .build();
    }

    /** The text of the first {@code <name>} element of an S3 error document, unescaped; null when absent. */
    private static String element(String xml, String name) {
        int start = xml.indexOf("<" + name + ">");
        if (start < 0) {
            return null;
        }
        start += name.length() + 2;
        int end = xml.indexOf("</" + name + ">", start);
        if (end < 0) {
            return null;
        }
        return xml.substring(start, end).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&apos;", "'").replace("&amp;", "&");
    }
}
