package io.throughline.tracking.domain;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Throwaway mailbox providers; a listed domain covers its subdomains (x.mailinator.com). */
public final class DisposableEmailDomains {

    private final Set<String> domains;

    public DisposableEmailDomains(Collection<String> domains) {
        this.domains = new HashSet<>(domains.size() * 2);
        domains.forEach(d -> this.domains.add(d.toLowerCase(Locale.ROOT)));
    }

    public boolean isDisposable(String email) {
        int at = email == null ? -1 : email.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String domain = email.substring(at + 1).toLowerCase(Locale.ROOT).strip();
        while (!domain.isEmpty()) {
            if (domains.contains(domain)) {
                return true;
            }
            int dot = domain.indexOf('.');
            if (dot < 0) {
                return false;
            }
            domain = domain.substring(dot + 1);
        }
        return false;
    }
}
