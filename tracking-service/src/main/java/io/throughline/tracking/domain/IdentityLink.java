package io.throughline.tracking.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a lead or identify event tells identity-service: the identifiers seen together. Bots tell nothing;
 * an invalid or throwaway e-mail or phone is left out, the rest is still linked.
 */
public record IdentityLink(String tenantId, String eventId, Instant observedAt, String defaultPhoneRegion,
        List<Identifier> identifiers) {

    public enum Kind { VISITOR_ID, GA_CLIENT_ID, YM_CLIENT_ID, EMAIL, PHONE, USER_ID }

    public record Identifier(Kind kind, String value) {
    }

    /** The link a hit asks for, or null when it asks for none. */
    public static IdentityLink of(Hit hit, String defaultPhoneRegion) {
        if (!hit.type().carriesContacts() || hit.contacts() == null || hit.botFlagged()) {
            return null;
        }
        List<Identifier> ids = new ArrayList<>();
        ids.add(new Identifier(Kind.VISITOR_ID, hit.visitorId()));
        if (hit.gaCookie() != null) {
            ids.add(new Identifier(Kind.GA_CLIENT_ID, hit.gaCookie()));
        }
        if (hit.ymUid() != null) {
            ids.add(new Identifier(Kind.YM_CLIENT_ID, hit.ymUid()));
        }
        CollectedBatch.Contacts c = hit.contacts();
        if (c.email() != null && !hit.reasons().contains(JunkReason.INVALID_EMAIL) && !hit.reasons().contains(JunkReason.DISPOSABLE_EMAIL)) {
            ids.add(new Identifier(Kind.EMAIL, c.email()));
        }
        if (c.phone() != null && !hit.reasons().contains(JunkReason.INVALID_PHONE) && !hit.reasons().contains(JunkReason.PLACEHOLDER_PHONE)) {
            ids.add(new Identifier(Kind.PHONE, c.phone()));
        }
        if (c.userId() != null) {
            ids.add(new Identifier(Kind.USER_ID, c.userId()));
        }
        return ids.size() < 2 ? null : new IdentityLink(hit.tenantId(), hit.eventId(), hit.occurredAt(), defaultPhoneRegion, List.copyOf(ids));
    }
}
