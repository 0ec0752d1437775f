package io.throughline.commons.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where a connector may send its credentials: an absolute http(s) address without user info, and (unless the operator
 * allows private networks, as tests and on-premise fakes need) not a loopback, link-local, private, unique-local or
 * unspecified address, checked on every address the name resolves to (SSRF: an admin's "base URL" must not reach the
 * platform's own internal services).
 */
public final class ConnectorUrls {

    private ConnectorUrls() {
    }

    /** The address as given, if acceptable; else the reason. */
    public static String check(String url, boolean allowPrivate) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "is not an address";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowPrivate && scheme.equals("http"))) {
            return "must be an https address";
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "must be scheme://host[:port][/path] without credentials, query or fragment";
        }
        if (allowPrivate) {
            return null;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
                if (internal(a)) {
                    return "points at a private or loopback address (" + a.getHostAddress() + "); the operator can allow private networks";
                }
            }
        } catch (UnknownHostException e) {
            return "names a host that does not resolve";
        }
        return null;
    }

    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            // 100.64.0.0/10 (carrier-grade NAT) and 0.0.0.0/8 are not the public internet either.
            return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64 || b[0] == 0;
        }
        return a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc;
    }
}
