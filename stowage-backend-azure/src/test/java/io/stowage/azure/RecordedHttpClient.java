package io.stowage.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An SDK HTTP client that records every request and answers with recorded service responses, for what
 * Azurite cannot show (a rehydration under way, throttling, refused credentials). Tests using it say
 * in their names that they check the request and the handling of Azure's answer, not Azure itself.
 */
final class RecordedHttpClient implements HttpClient {

    /** One recorded response. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer of(int status, Map<String, String> headers) {
            return new Answer(status, headers, "");
        }

        static Answer ofBody(int status, Map<String, String> headers, String body) {
            return new Answer(status, headers, body);
        }

        /** An error as the service sends it: the code in a header and in an XML body. */
        static Answer error(int status, String code) {
            return new Answer(status, Map.of("x-ms-error-code", code, "Content-Type", "application/xml"),
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>recorded "
                            + code + "</Message></Error>");
        }
    }

    final List<HttpRequest> requests = new CopyOnWriteArrayList<>();
    private final Function<HttpRequest, Answer> answers;

    RecordedHttpClient(Function<HttpRequest, Answer> answers) {
        this.answers = answers;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        requests.add(request);
        return Mono.just(new Recorded(request, answers.apply(request)));
    }

    /** Answers for a container that exists (its creation answers 409) plus {@code blob}'s answers. */
    static Function<HttpRequest, Answer> withContainer(Function<HttpRequest, Answer> blob) {
        return r -> {
            String query = r.getUrl().getQuery() == null ? "" : r.getUrl().getQuery();
            if (query.contains("restype=container")) {
                return r.getHttpMethod().name().equals("PUT") ? Answer.error(409, "ContainerAlreadyExists")
                        : Answer.of(200, Map.of("ETag", "\"0x1\"", "Last-Modified", "Tue, 24 Nov 2026 10:00:00 GMT"));
            }
            return blob.apply(r);
        };
    }

    private static final class Recorded extends HttpResponse {
        private final Answer answer;
        private final HttpHeaders headers = new HttpHeaders();

        Recorded(HttpRequest request, Answer answer) {
            super(request);
            this.answer = answer;
            answer.headers().forEach(headers::set);
            headers.set("x-ms-request-id", "recorded");
            headers.set("x-ms-version", "2025-11-05");
            if (!request.getHttpMethod().name().equals("HEAD")) {
                headers.set("Content-Length", String.valueOf(answer.body().getBytes(StandardCharsets.UTF_8).length));
            }
        }

        @Override
        public int getStatusCode() {
            return answer.status();
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return answer.body().isEmpty() ? Flux.empty()
                    : Flux.just(ByteBuffer.wrap(answer.body().getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return answer.body().isEmpty() ? Mono.empty() : Mono.just(answer.body().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Mono<String> getBodyAsString() {
            return answer.body().isEmpty() ? Mono.empty() : Mono.just(answer.body());
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return getBodyAsString();
        }
    }
}
