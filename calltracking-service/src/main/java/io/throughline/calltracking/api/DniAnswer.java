package io.throughline.calltracking.api;

import java.time.Instant;
import java.util.List;

/**
 * The number a page shows. {@code kind}: pool (this visitor's own for the hold), static (the campaign's number),
 * default (the pool was full: the site's default number), none (no number to swap: the page keeps its own).
 * {@code ambiguous}: the pool was full and the number is shared with another visitor (calls to it are matched
 * with a lower confidence).
 */
public record DniAnswer(String kind, String numberE164, String numberDisplay, String telHref, Instant holdUntil, boolean overflow,
        boolean ambiguous, List<String> replace, List<String> selectors, Integer heartbeatSeconds) {
}
