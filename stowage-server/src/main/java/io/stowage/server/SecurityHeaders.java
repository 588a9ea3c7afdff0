package io.stowage.server;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every HTML page and its assets carry: scripts and styles from this server only (no inline
 * script), no framing, no sniffing, no referrer; HSTS when the server speaks TLS.
 */
final class SecurityHeaders {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none';"
            + " base-uri 'none'; form-action 'none'";

    private SecurityHeaders() {
    }

    static Map<String, String> of(boolean tls) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", CSP);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        if (tls) {
            h.put("Strict-Transport-Security", "max-age=31536000");
        }
        return h;
    }

    static void apply(Context ctx, boolean tls) {
        of(tls).forEach(ctx::header);
    }
}
