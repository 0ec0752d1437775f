package io.throughline.reporting.domain.facts;

import java.time.LocalDate;

/** Sessions of one day, site and campaign keys, and how many of them were bots. */
public record TrafficFact(LocalDate day, String siteId, String siteKey, Keys keys, long sessions, long botSessions) {
}
