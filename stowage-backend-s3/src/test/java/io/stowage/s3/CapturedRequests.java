package io.stowage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Records every HTTP request the SDK sends (method, path, query, headers and small bodies), for tests
 * that check what Stowage asks of S3 where no test server answers as AWS does. Such tests say in
 * their names that they check the request, not AWS's answer.
 */
final class CapturedRequests implements ExecutionInterceptor {

    record Sent(SdkHttpRequest http, String body) {
        String header(String name) {
            return http.firstMatchingHeader(name).orElse(null);
        }

        boolean hasQuery(String name) {
            return http.rawQueryParameters().containsKey(name);
        }
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String body = context.requestBody().filter(b -> b.optionalContentLength().orElse(Long.MAX_VALUE) < 64 * 1024)
                .map(b -> {
                    try (InputStream in = b.contentStreamProvider().newStream()) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).orElse("");
        sent.add(new Sent(context.httpRequest(), body));
    }

    List<Sent> all() {
        return List.copyOf(sent);
    }

    Sent last(String method) {
        return sent.reversed().stream().filter(s -> s.http().method().name().equals(method)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + method + " request was sent: " + sent));
    }

    void clear() {
        sent.clear();
    }
}
