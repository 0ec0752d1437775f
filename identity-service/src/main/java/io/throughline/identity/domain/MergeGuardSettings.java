package io.throughline.identity.domain;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The knobs of the merge guards a workspace may turn: how many persons one value may touch before it is
 * quarantined as a hub, and which role mailboxes (info@, noreply@) never link anyone.
 */
public record MergeGuardSettings(int hubThreshold, List<String> roleMailboxes) {

    public static final int DEFAULT_HUB_THRESHOLD = 3;
    public static final List<String> DEFAULT_ROLE_MAILBOXES = List.of(
            "admin", "contact", "hello", "info", "mail", "no-reply", "noreply", "office", "sales", "support");
    private static final Pattern LOCAL_PART = Pattern.compile("[a-z0-9][a-z0-9._+-]{0,63}");

    public static MergeGuardSettings defaults() {
        return new MergeGuardSettings(DEFAULT_HUB_THRESHOLD, DEFAULT_ROLE_MAILBOXES);
    }

    /** A mailbox local part as configured ("Info@", " noreply ") in canonical form, or empty if it is not one. */
    public static Optional<String> normalizeMailbox(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String value = raw.strip().toLowerCase(Locale.ROOT);
        if (value.endsWith("@")) {
            value = value.substring(0, value.length() - 1);
        }
        return LOCAL_PART.matcher(value).matches() ? Optional.of(value) : Optional.empty();
    }

    /** Sorted and de-duplicated, so that equal settings compare and store equal. */
    public static List<String> canonical(List<String> mailboxes) {
        TreeSet<String> out = new TreeSet<>();
        mailboxes.forEach(m -> normalizeMailbox(m).ifPresent(out::add));
        return List.copyOf(out);
    }
}
