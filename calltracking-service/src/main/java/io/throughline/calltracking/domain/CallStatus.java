package io.throughline.calltracking.domain;

import java.util.Locale;

/** How a call ended, the same for every PBX. */
public enum CallStatus {
    ANSWERED, NO_ANSWER, BUSY, CANCELED, FAILED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CallStatus fromCode(String code) {
        for (CallStatus s : values()) {
            if (s.code().equals(code)) {
                return s;
            }
        }
        return null;
    }

    /** Twilio: the inbound leg is "completed" even when the forwarded call was never answered; DialCallStatus decides. */
    public static CallStatus fromTwilio(String callStatus, String dialCallStatus) {
        String s = dialCallStatus != null && !dialCallStatus.isBlank() ? dialCallStatus : callStatus;
        if (s == null) {
            return null;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "completed", "answered" -> ANSWERED;
            case "no-answer" -> NO_ANSWER;
            case "busy" -> BUSY;
            case "canceled" -> CANCELED;
            case "failed" -> FAILED;
            default -> null;
        };
    }

    /** Zadarma's disposition: answered, busy, cancel, no answer, failed, no money, unallocated number, ... */
    public static CallStatus fromZadarma(String disposition) {
        if (disposition == null) {
            return null;
        }
        return switch (disposition.toLowerCase(Locale.ROOT)) {
            case "answered" -> ANSWERED;
            case "busy" -> BUSY;
            case "cancel" -> CANCELED;
            case "no answer" -> NO_ANSWER;
            default -> FAILED;
        };
    }
}
