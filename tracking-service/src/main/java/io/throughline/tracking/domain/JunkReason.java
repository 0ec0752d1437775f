package io.throughline.tracking.domain;

/**
 * Why a hit or lead was flagged. Bot signals exclude the whole session from attribution; contact signals
 * exclude the lead (it is stored, never sent to identity, never counted as a lead).
 */
public enum JunkReason {
    CRAWLER_USER_AGENT(true),
    HEADLESS_MARKER(true),
    MISSING_JS_PROOF(true),
    IMPOSSIBLE_RATE(true),
    HONEYPOT_FILLED(true),
    FORM_TOO_FAST(true),
    DISPOSABLE_EMAIL(false),
    INVALID_EMAIL(false),
    INVALID_PHONE(false),
    PLACEHOLDER_PHONE(false);

    private final boolean bot;

    JunkReason(boolean bot) {
        this.bot = bot;
    }

    /** True for signals that the visitor is not a person (the session is excluded), false for junk contacts only. */
    public boolean bot() {
        return bot;
    }

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
