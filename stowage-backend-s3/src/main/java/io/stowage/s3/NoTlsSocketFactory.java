package io.stowage.s3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.apache.http.HttpHost;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.protocol.HttpContext;

/**
 * The HTTPS socket factory of a client whose endpoint is plain HTTP: it refuses every TLS connection
 * instead of preparing for one. The SDK's own factory loads the JDK's trust store and the public suffix
 * list as the client is built, which costs a short command a tenth of a second for nothing.
 */
final class NoTlsSocketFactory implements ConnectionSocketFactory {

    private final URI endpoint;

    NoTlsSocketFactory(URI endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public Socket createSocket(HttpContext context) throws IOException {
        throw refused(null);
    }

    @Override
    public Socket connectSocket(int connectTimeout, Socket socket, HttpHost host, InetSocketAddress remoteAddress,
            InetSocketAddress localAddress, HttpContext context) throws IOException {
        throw refused(host);
    }

    private IOException refused(HttpHost host) {
        return new IOException("no TLS connection" + (host == null ? "" : " to " + host.toHostString())
                + ": this backend's endpoint " + endpoint + " is plain HTTP");
    }
}
