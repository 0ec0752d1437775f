package io.throughline.tracking.api;

import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may tell the collector a client's address: X-Forwarded-For is believed only from the trusted networks
 * (the gateway's), and only its last entry, the one the trusted proxy wrote. Networks are CIDRs of IP literals,
 * so no DNS lookup ever happens on a request.
 */
final class TrustedProxies {

    private record Network(byte[] address, int prefix) {
        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            return rest == 0 || ((candidate[full] ^ address[full]) & (0xff << (8 - rest)) & 0xff) == 0;
        }
    }

    private final List<Network> networks = new ArrayList<>();

    TrustedProxies(List<String> cidrs) {
        for (String cidr : cidrs) {
            String value = cidr.strip();
            if (value.isEmpty()) {
                continue;
            }
            int slash = value.indexOf('/');
            byte[] address = literal(slash < 0 ? value : value.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("trusted proxy " + value + " is not an IP address or CIDR");
            }
            networks.add(new Network(address, slash < 0 ? address.length * 8 : Integer.parseInt(value.substring(slash + 1))));
        }
    }

    /** The client's address: the last X-Forwarded-For entry when a trusted proxy sent the request, else the peer's. */
    String clientAddress(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String forwarded = request.getHeader("X-Forwarded-For");
        if (peer == null || forwarded == null || !trusted(peer)) {
            return peer;
        }
        int comma = forwarded.lastIndexOf(',');
        String last = (comma < 0 ? forwarded : forwarded.substring(comma + 1)).strip();
        return literal(last) == null ? peer : last;
    }

    boolean trusted(String ip) {
        byte[] address = literal(ip);
        return address != null && networks.stream().anyMatch(n -> n.contains(address));
    }

    /** The bytes of an IPv4 or IPv6 literal, or null for anything else (never a DNS lookup). */
    static byte[] literal(String ip) {
        if (ip == null || ip.isEmpty() || !(ip.indexOf(':') >= 0 || ip.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            return null;
        }
        try {
            return InetAddress.getByName(ip.startsWith("[") ? ip.substring(1, ip.length() - 1) : ip).getAddress();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }
}
