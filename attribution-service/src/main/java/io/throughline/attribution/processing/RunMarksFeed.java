package io.throughline.attribution.processing;

import io.grpc.StatusRuntimeException;
import io.quarkus.scheduler.Scheduled;
import io.throughline.attribution.client.ChangeFeeds;
import io.throughline.attribution.client.IdentityCalls;
import io.throughline.attribution.store.RunMarks;
import io.throughline.contracts.identity.v1.Identifier;
import io.throughline.contracts.identity.v1.IdentifierType;
import io.throughline.contracts.identity.v1.PersonChange;
import io.throughline.contracts.identity.v1.ResolveResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Reads what changed a person's journey without changing their deals and marks the person for the next incremental
 * version: sessions stored late or flagged as bots (tracking, by visitor id, resolved in identity-service), leads and
 * calls linked to a person (tracking, calltracking), merges, splits and erasures (identity). A source that is down is
 * read again the next round from where it was left; marks and cursor move in one transaction.
 */
@ApplicationScoped
public class RunMarksFeed {

    private static final Logger LOG = Logger.getLogger(RunMarksFeed.class);
    private static final int PAGE = 1000;
    /** Pages per feed per round: a backlog is worked off over rounds, never in one that blocks the others. */
    private static final int PAGES = 20;
    private static final int RESOLVE_BATCH = 500;
    /** Marks older than this are dropped: every series makes a version within minutes of a mark. */
    private static final Duration KEEP = Duration.ofDays(7);

    private final RunMarks marks;
    private final ChangeFeeds feeds;
    private final IdentityCalls identity;

    public RunMarksFeed(RunMarks marks, ChangeFeeds feeds, IdentityCalls identity) {
        this.marks = marks;
        this.feeds = feeds;
        this.identity = identity;
    }

    @Scheduled(every = "${throughline.attribution.marks-interval:5s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyFewSeconds() {
        round();
    }

    /** One round over every feed; answers how many persons were marked. */
    public synchronized int round() {
        int marked = 0;
        marked += read("identity", this::identityPage);
        marked += read("tracking-sessions", this::sessionPage);
        marked += read("tracking-contacts", this::contactPage);
        marked += read("calltracking-calls", this::callPage);
        marks.prune(Instant.now().minus(KEEP));
        return marked;
    }

    /** One page of a feed: the persons it names by workspace, the position after it, and whether it was empty. */
    private record Page(Map<String, Set<String>> persons, String next, boolean empty) {
    }

    private interface PageReader {
        Page read(String after);
    }

    private int read(String feed, PageReader reader) {
        int marked = 0;
        try {
            for (int i = 0; i < PAGES; i++) {
                String after = marks.cursor(feed).orElse("");
                Page page = reader.read(after);
                if (page.empty()) {
                    break;
                }
                marks.mark(feed, page.next(), page.persons(), feed, Instant.now());
                marked += page.persons().values().stream().mapToInt(Set::size).sum();
            }
        } catch (StatusRuntimeException e) {
            LOG.debugf("The %s feed is not available now (%s); read again next round", feed, e.getStatus().getCode());
        } catch (RuntimeException e) {
            LOG.warnf("Reading the %s feed failed: %s", feed, e.toString());
        }
        return marked;
    }

    private Page identityPage(String after) {
        long afterId = after.isEmpty() ? 0 : Long.parseLong(after);
        List<PersonChange> changes = identity.changes(afterId, PAGE);
        Map<String, Set<String>> persons = new HashMap<>();
        for (PersonChange c : changes) {
            Set<String> ids = persons.computeIfAbsent(c.getTenantId(), k -> new LinkedHashSet<>());
            ids.add(c.getPersonId());
            ids.addAll(c.getOthersList());
        }
        return new Page(persons, changes.isEmpty() ? after : Long.toString(changes.get(changes.size() - 1).getId()), changes.isEmpty());
    }

    private Page sessionPage(String after) {
        var page = feeds.sessions(after, PAGE);
        Map<String, Set<String>> visitors = new HashMap<>();
        page.getSessionsList().forEach(s -> {
            if (!s.getVisitorId().isBlank()) {
                visitors.computeIfAbsent(s.getTenantId(), k -> new LinkedHashSet<>()).add(s.getVisitorId());
            }
        });
        Map<String, Set<String>> persons = new HashMap<>();
        visitors.forEach((tenant, ids) -> persons.put(tenant, personsOfVisitors(tenant, new ArrayList<>(ids))));
        return new Page(persons, page.getNext(), page.getSessionsCount() == 0);
    }

    private Page contactPage(String after) {
        var page = feeds.contacts(after, PAGE);
        Map<String, Set<String>> persons = new HashMap<>();
        page.getContactsList().forEach(c -> {
            if (!c.getPersonId().isBlank()) {
                persons.computeIfAbsent(c.getTenantId(), k -> new LinkedHashSet<>()).add(c.getPersonId());
            }
        });
        return new Page(persons, page.getNext(), page.getContactsCount() == 0);
    }

    private Page callPage(String after) {
        var page = feeds.calls(after, PAGE);
        Map<String, Set<String>> persons = new HashMap<>();
        page.getCallsList().forEach(c -> {
            if (!c.getPersonId().isBlank()) {
                persons.computeIfAbsent(c.getTenantId(), k -> new LinkedHashSet<>()).add(c.getPersonId());
            }
        });
        return new Page(persons, page.getNext(), page.getCallsCount() == 0);
    }

    /** The persons identity-service knows behind the visitor ids ({@value #RESOLVE_BATCH} per BatchResolve). */
    private Set<String> personsOfVisitors(String tenantId, List<String> visitors) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < visitors.size(); i += RESOLVE_BATCH) {
            List<List<Identifier>> items = visitors.subList(i, Math.min(visitors.size(), i + RESOLVE_BATCH)).stream()
                    .map(v -> List.of(Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_VISITOR_ID).setValue(v).build())).toList();
            for (ResolveResponse r : identity.resolveAll(tenantId, items)) {
                if (r.getFound()) {
                    out.add(r.getPersonId());
                }
            }
        }
        return out;
    }
}
