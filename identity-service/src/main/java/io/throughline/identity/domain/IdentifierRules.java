package io.throughline.identity.domain;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Normalizes a raw identifier of any type and applies the blocked-value guard before it can become a node. */
public final class IdentifierRules {

    private static final Set<String> BLOCKED = Set.of("", "null", "undefined", "none", "nan", "nil", "unknown",
            "anonymous", "-1", "void", "abc123", "test", "n/a", "na", "[object object]");
    private static final Set<String> BLOCKED_EMAILS = Set.of("test@test.com", "test@test.ru", "a@a.com", "email@email.com");
    private static final Pattern ZEROS = Pattern.compile("[0\\-.\\s]*");
    private static final Pattern EXAMPLE_DOMAIN = Pattern.compile("(.+\\.)?example\\.[a-z]{2,63}");
    private static final Pattern OPAQUE_ID = Pattern.compile("[A-Za-z0-9._:\\-]{6,128}");
    /** The _ga cookie "GA1.2.1234567890.1600000000": the client id is its last two dot parts. */
    private static final Pattern GA_COOKIE = Pattern.compile("(?:GA\\d+\\.\\d+\\.)?(\\d{1,20}\\.\\d{1,20})");
    private static final Pattern YM_UID = Pattern.compile("\\d{6,25}");

    private final Set<String> roleMailboxes;

    public IdentifierRules(Collection<String> roleMailboxes) {
        this.roleMailboxes = Set.copyOf(roleMailboxes);
    }

    public Normalized normalize(IdentifierType type, String raw, String defaultPhoneRegion) {
        String trimmed = raw == null ? "" : raw.strip();
        if (isBlocked(trimmed)) {
            return new Normalized.Refused(type, GuardReason.BLOCKED_VALUE, "placeholder value");
        }
        return switch (type) {
            case EMAIL -> blockEmail(Emails.normalize(trimmed));
            case PHONE -> PhoneNumbers.normalize(trimmed, defaultPhoneRegion);
            case GA_CLIENT_ID -> matching(type, GA_COOKIE.matcher(trimmed), 1);
            case YM_CLIENT_ID -> matching(type, YM_UID.matcher(trimmed), 0);
            case VISITOR_ID -> matching(type, OPAQUE_ID.matcher(trimmed), 0);
            case CRM_CONTACT_ID, USER_ID -> trimmed.length() <= 128 && trimmed.chars().noneMatch(Character::isISOControl)
                    ? new Normalized.Value(type, trimmed)
                    : new Normalized.Refused(type, GuardReason.INVALID, "longer than 128 characters or not printable");
        };
    }

    private Normalized blockEmail(Normalized email) {
        if (email instanceof Normalized.Value v) {
            String local = v.value().substring(0, v.value().indexOf('@'));
            String domain = v.value().substring(v.value().indexOf('@') + 1);
            if (BLOCKED_EMAILS.contains(v.value()) || EXAMPLE_DOMAIN.matcher(domain).matches()) {
                return new Normalized.Refused(IdentifierType.EMAIL, GuardReason.BLOCKED_VALUE, "test or example address");
            }
            if (roleMailboxes.contains(local)) {
                return new Normalized.Refused(IdentifierType.EMAIL, GuardReason.BLOCKED_VALUE, "role mailbox " + local + "@");
            }
        }
        return email;
    }

    private static boolean isBlocked(String value) {
        return BLOCKED.contains(value.toLowerCase(Locale.ROOT)) || ZEROS.matcher(value).matches();
    }

    private static Normalized matching(IdentifierType type, Matcher matcher, int group) {
        return matcher.matches() ? new Normalized.Value(type, matcher.group(group))
                : new Normalized.Refused(type, GuardReason.INVALID, "not a " + type.code());
    }
}
