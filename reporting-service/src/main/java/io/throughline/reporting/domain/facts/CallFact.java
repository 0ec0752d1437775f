package io.throughline.reporting.domain.facts;

import java.time.Instant;

/** One call as calltracking judged it (no phone number): its keys are its matched session's, "(unmatched)" otherwise. */
public record CallFact(String callId, Instant at, String siteKey, boolean inbound, boolean completed, boolean answered, boolean target,
        boolean firstTime, boolean missed, boolean calledBack, boolean spam, boolean matched, Keys keys, int talkSeconds, String person,
        boolean returning) {
}
