package io.throughline.identity.api;

import io.throughline.identity.config.IdentityConfig;
import io.throughline.identity.domain.IdentifierRules;
import io.throughline.identity.domain.IdentifierType;
import io.throughline.identity.domain.MatchKeys;
import io.throughline.identity.domain.MergeGuardSettings;
import io.throughline.identity.domain.MergePlan;
import io.throughline.identity.domain.Normalized;
import io.throughline.identity.store.GraphNode;
import io.throughline.identity.store.IdentityGraph;
import io.throughline.identity.store.PersonRecords;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Link, Resolve and ReportPayment: normalization and guards in front of the graph. */
@ApplicationScoped
public class IdentityLinks {

    /** An identifier as a caller observed it. */
    public record Raw(IdentifierType type, String value) {
    }

    public enum Verdict { NEW, KNOWN, RETURNING_CUSTOMER }

    public record Linked(UUID person, Verdict verdict, List<IdentityGraph.Refused> refused) {
    }

    public record Resolved(UUID person, Verdict verdict, List<GraphNode> identifiers) {
    }

    /** Which identifier decides when identifiers of one request point to different persons. */
    private static final List<IdentifierType> PRIORITY = List.of(IdentifierType.CRM_CONTACT_ID, IdentifierType.USER_ID,
            IdentifierType.EMAIL, IdentifierType.PHONE, IdentifierType.VISITOR_ID, IdentifierType.GA_CLIENT_ID,
            IdentifierType.YM_CLIENT_ID);

    private final IdentityGraph graph;
    private final PersonRecords persons;
    private final MatchKeys keys;
    private final IdentityConfig config;

    public IdentityLinks(IdentityGraph graph, PersonRecords persons, IdentityConfig config) {
        this.graph = graph;
        this.persons = persons;
        this.config = config;
        this.keys = new MatchKeys(config.masterKey().getBytes(StandardCharsets.UTF_8));
    }

    public MatchKeys keys() {
        return keys;
    }

    public Linked link(String tenantId, List<Raw> raw, String source, String eventId, Instant at, String region) {
        return linkAll(tenantId, List.of(new Event(raw, source, eventId, at, region))).get(0);
    }

    /** One observed link event ({@code region}: for phones without a country code; blank: the default). */
    public record Event(List<Raw> identifiers, String source, String eventId, Instant at, String region) {
    }

    /** Many link events of one workspace, applied in order in one transaction; answers in the events' order. */
    public List<Linked> linkAll(String tenantId, List<Event> events) {
        MergeGuardSettings settings = persons.settings(tenantId);
        IdentifierRules rules = new IdentifierRules(settings.roleMailboxes());
        List<IdentityGraph.LinkEvent> normalized = new ArrayList<>(events.size());
        List<List<IdentityGraph.Refused>> refusedOf = new ArrayList<>(events.size());
        for (Event e : events) {
            List<Normalized.Value> values = new ArrayList<>();
            List<IdentityGraph.Refused> refused = new ArrayList<>();
            for (Raw r : e.identifiers()) {
                Normalized n = rules.normalize(r.type(), r.value(), region(e.region()));
                if (n instanceof Normalized.Value v) {
                    values.add(v);
                } else if (n instanceof Normalized.Refused x) {
                    refused.add(new IdentityGraph.Refused(x.type(), x.reason(), x.detail()));
                }
            }
            normalized.add(new IdentityGraph.LinkEvent(values, List.copyOf(refused), e.source(), e.eventId(), e.at()));
            refusedOf.add(refused);
        }
        List<IdentityGraph.LinkResult> results = graph.linkAll(tenantId, keys, normalized, MergePlan.Limits.defaults(settings.hubThreshold()));
        List<Linked> out = new ArrayList<>(events.size());
        for (int i = 0; i < results.size(); i++) {
            IdentityGraph.LinkResult result = results.get(i);
            List<IdentityGraph.Refused> refused = refusedOf.get(i);
            result.refused().forEach(r -> refused.add(new IdentityGraph.Refused(r.candidate().type(), r.reason(), "")));
            Verdict verdict = result.person() == null ? Verdict.NEW
                    : result.paidBefore() ? Verdict.RETURNING_CUSTOMER : result.created() ? Verdict.NEW : Verdict.KNOWN;
            out.add(new Linked(result.person(), verdict, refused));
        }
        return out;
    }

    /** The person behind the identifiers: the one a unique id points to first, then e-mail, phone, the rest. */
    public Optional<Resolved> resolve(String tenantId, List<Raw> raw, String region) {
        IdentifierRules rules = new IdentifierRules(List.of());
        List<String[]> wanted = new ArrayList<>();
        for (Raw r : raw) {
            if (rules.normalize(r.type(), r.value(), region(region)) instanceof Normalized.Value v) {
                wanted.add(new String[] {v.type().code(), keys.matchKey(tenantId, v.value())});
            }
        }
        return persons.resolve(tenantId, wanted, found -> found.stream()
                        .filter(n -> n.person() != null && !n.quarantined())
                        .min(Comparator.comparingInt((GraphNode n) -> PRIORITY.indexOf(n.type())))
                        .map(GraphNode::person))
                .map(r -> new Resolved(r.person(), r.paid() ? Verdict.RETURNING_CUSTOMER : Verdict.KNOWN, r.identifiers()));
    }

    /** {@link #resolve} for many items in one round trip to the store; answers in the items' order. */
    public List<Optional<Resolved>> resolveAll(String tenantId, List<List<Raw>> items, String region) {
        IdentifierRules rules = new IdentifierRules(List.of());
        List<List<String[]>> wanted = new ArrayList<>();
        for (List<Raw> raw : items) {
            List<String[]> keysOfItem = new ArrayList<>();
            for (Raw r : raw) {
                if (rules.normalize(r.type(), r.value(), region(region)) instanceof Normalized.Value v) {
                    keysOfItem.add(new String[] {v.type().code(), keys.matchKey(tenantId, v.value())});
                }
            }
            wanted.add(keysOfItem);
        }
        return persons.resolveAll(tenantId, wanted, found -> found.stream()
                        .filter(n -> n.person() != null && !n.quarantined())
                        .min(Comparator.comparingInt((GraphNode n) -> PRIORITY.indexOf(n.type())))
                        .map(GraphNode::person)).stream()
                .map(o -> o.map(r -> new Resolved(r.person(), r.paid() ? Verdict.RETURNING_CUSTOMER : Verdict.KNOWN, r.identifiers())))
                .toList();
    }

    public Linked reportPayment(String tenantId, List<Raw> raw, Instant paidAt, String paymentId, String region) {
        Linked linked = link(tenantId, raw, "payment", paymentId, paidAt, region);
        if (linked.person() != null) {
            persons.recordPayment(tenantId, linked.person(), paymentId, paidAt);
        }
        return linked;
    }

    /** The canonical person of an id of this workspace, following merges. */
    public Optional<UUID> personOf(String tenantId, String id) {
        return io.throughline.commons.id.Ids.parse(id).flatMap(uuid -> persons.canonical(tenantId, uuid)).map(PersonRecords.Person::id);
    }

    private String region(String region) {
        return region == null || region.isBlank() ? config.defaultPhoneRegion() : region;
    }
}
