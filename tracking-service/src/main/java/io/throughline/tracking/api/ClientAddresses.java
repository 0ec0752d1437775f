package io.throughline.tracking.api;

/** Client addresses are personal data: hits keep only the network (IPv4 /24, IPv6 /48). */
final class ClientAddresses {

    private ClientAddresses() {
    }

    static String prefix(String ip) {
        if (ip == null || ip.isBlank()) {
            return null;
        }
        if (ip.indexOf(':') < 0) {
            int last = ip.lastIndexOf('.');
            return last < 0 ? null : ip.substring(0, last) + ".0";
        }
        String[] groups = ip.replace("[", "").replace("]", "").split(":", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(3, groups.length); i++) {
            out.append(groups[i].isEmpty() ? "0" : groups[i]).append(':');
        }
        return out.append(':').toString();
    }
}
