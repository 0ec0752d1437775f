package io.throughline.identity.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * E-mails as match keys: trimmed (inner whitespace too), NFC, lower-cased; for gmail.com and googlemail.com
 * only, dots and the +suffix of the local part are dropped (other providers treat them as distinct).
 */
public final class Emails {

    private static final Pattern SHAPE = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,63}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Emails() {
    }

    public static Normalized normalize(String raw) {
        if (raw == null) {
            return new Normalized.Refused(IdentifierType.EMAIL, GuardReason.BLOCKED_VALUE, "empty");
        }
        String value = WHITESPACE.matcher(Normalizer.normalize(raw, Normalizer.Form.NFC)).replaceAll("").toLowerCase(Locale.ROOT);
        if (value.length() > 254 || !SHAPE.matcher(value).matches()) {
            return new Normalized.Refused(IdentifierType.EMAIL, value.isEmpty() ? GuardReason.BLOCKED_VALUE : GuardReason.INVALID,
                    "not an e-mail address");
        }
        int at = value.indexOf('@');
        String local = value.substring(0, at);
        String domain = value.substring(at + 1);
        if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
            int plus = local.indexOf('+');
            local = (plus >= 0 ? local.substring(0, plus) : local).replace(".", "");
            if (local.isEmpty()) {
                return new Normalized.Refused(IdentifierType.EMAIL, GuardReason.INVALID, "empty mailbox");
            }
        }
        return new Normalized.Value(IdentifierType.EMAIL, local + "@" + domain, value);
    }
}
