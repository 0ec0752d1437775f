package io.throughline.tracking.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.ProblemDetail;
import io.throughline.commons.api.ProblemException;
import io.throughline.tracking.config.ShippedData;
import io.throughline.tracking.config.TrackingConfig;
import io.throughline.tracking.domain.BatchReader;
import io.throughline.tracking.domain.EventVerdict;
import io.throughline.tracking.domain.Hit;
import io.throughline.tracking.domain.HitBatch;
import io.throughline.tracking.domain.HitFactory;
import io.throughline.tracking.domain.Site;
import io.throughline.tracking.store.DurableHits;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The authenticated import of historical hits: batches shaped as /collect's (one visitor each), whose events keep their own
 * times up to {@code throughline.tracking.imports.max-age} back. The same validation, junk scoring, sessions, identity hand-off
 * and durability as /collect, except the snippet's proof (the sender signed in instead) and the browser's 72-hour window.
 * Every envelope is checked before anything is stored, so a bad request stores nothing; bad events are rejected one by one.
 */
@Singleton
public class HitImport {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final int MAX_USER_AGENT = 1000;

    private final TenantTraffic traffic;
    private final DurableHits durable;
    private final HitFactory hits;
    private final ObjectMapper json;
    private final TrackingConfig config;

    public HitImport(TenantTraffic traffic, DurableHits durable, ShippedData data, UserAgents userAgents, ObjectMapper json, TrackingConfig config) {
        this.traffic = traffic;
        this.durable = durable;
        this.hits = new HitFactory(userAgents::of, data.disposableEmailDomains());
        this.json = json;
        this.config = config;
    }

    /** One visitor's batch as read, with the request facts it carries. */
    private record Read(BatchReader.Result result, HitFactory.RequestFacts facts) {
    }

    /** Per batch, in request order: the visitor, a verdict per event, whether it waits in the spool. */
    public record Outcome(List<String> visitors, List<CollectResponse> batches) {
    }

    public CompletableFuture<Outcome> importHits(Site site, byte[] body, Instant receivedAt) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new ProblemException(ProblemDetail.of(400, "malformed-body", "Malformed request body", "The body is not valid JSON", List.of()));
        }
        JsonNode batches = root == null ? null : root.get("batches");
        if (batches == null || !batches.isArray() || batches.isEmpty()) {
            throw ProblemException.invalidField("batches", "must be a non-empty array");
        }
        if (batches.size() > config.imports().maxBatches()) {
            throw new ProblemException(ProblemDetail.of(413, "too-large", "Payload too large", "At most " + config.imports().maxBatches()
                    + " batches per request", List.of(new FieldError("batches", "at most " + config.imports().maxBatches() + " batches"))));
        }
        List<Read> reads = new ArrayList<>(batches.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            reads.add(read(site, batches.get(i), "batches[" + i + "]", receivedAt, errors));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.size() + " problem(s) in the batches' envelopes; nothing was imported", errors.toArray(FieldError[]::new));
        }
        return traffic.of(site.tenantId()).thenCompose(sources -> {
            List<CompletableFuture<CollectResponse>> written = new ArrayList<>(reads.size());
            for (Read read : reads) {
                List<EventVerdict> verdicts = read.result().verdicts();
                if (read.result().batch().events().isEmpty()) {
                    written.add(CompletableFuture.completedFuture(CollectResponse.of(verdicts, false)));
                    continue;
                }
                List<Hit> built = hits.hits(site, read.result().batch(), read.facts(), sources);
                HitBatch batch = new HitBatch(site.tenantId(), read.result().batch().visitorId(), site.sessionTimeoutMinutes(), site.defaultPhoneRegion(),
                        built);
                // One visitor's batches are written in order: its sessions are cut in time order.
                CompletableFuture<CollectResponse> previous = written.isEmpty() ? CompletableFuture.completedFuture(null) : written.getLast();
                written.add(previous.thenCompose(x -> durable.write(batch)).thenApply(outcome -> CollectResponse.of(verdicts(verdicts, outcome.duplicates()),
                        outcome.queued())));
            }
            return CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).thenApply(x -> new Outcome(
                    reads.stream().map(r -> r.result().batch().visitorId()).toList(), written.stream().map(CompletableFuture::join).toList()));
        });
    }

    private Read read(Site site, JsonNode node, String at, Instant receivedAt, List<FieldError> errors) {
        if (!node.isObject()) {
            errors.add(new FieldError(at, "must be an object"));
            return null;
        }
        ObjectNode batch = ((ObjectNode) node).deepCopy();
        String userAgent = text(batch.remove("user_agent"), at + ".user_agent", MAX_USER_AGENT, errors);
        String ip = text(batch.remove("ip"), at + ".ip", 45, errors);
        if (ip != null && !isAddress(ip)) {
            errors.add(new FieldError(at + ".ip", "must be an IPv4 or IPv6 address"));
        }
        if (batch.has("site") && !batch.get("site").asText().equals(site.publicKey())) {
            errors.add(new FieldError(at + ".site", "must be left out or be this site's public key"));
        }
        batch.put("site", site.publicKey());
        // An import's events carry their own times: no browser clock to correct for.
        batch.remove("sent_at");
        BatchReader.Result result;
        try {
            result = BatchReader.read(json.writeValueAsBytes(batch), receivedAt, config.imports().maxAge());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (result.badRequest()) {
            result.problems().forEach(p -> errors.add(new FieldError(p.field().isEmpty() ? at : at + "." + p.field(), p.message())));
            return null;
        }
        List<EventVerdict> named = result.verdicts().stream().map(v -> v.field() == null ? v
                : EventVerdict.rejected(v.eventId(), at + "." + v.field(), v.reason())).toList();
        return new Read(new BatchReader.Result(result.batch(), named, List.of(), false, false),
                new HitFactory.RequestFacts(userAgent, ClientAddresses.prefix(ip), receivedAt, true));
    }

    private static List<EventVerdict> verdicts(List<EventVerdict> verdicts, Set<String> stored) {
        return verdicts.stream().map(v -> v.status() == EventVerdict.Status.ACCEPTED && stored.contains(v.eventId()) ? EventVerdict.duplicate(v.eventId()) : v)
                .toList();
    }

    private static String text(JsonNode value, String field, int max, List<FieldError> errors) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().length() > max) {
            errors.add(new FieldError(field, "must be a string of at most " + max + " characters"));
            return null;
        }
        return value.asText().isBlank() ? null : value.asText().strip();
    }

    /** An address literal only: a host name would be looked up in DNS. */
    static boolean isAddress(String ip) {
        if (IPV4.matcher(ip).matches()) {
            return true;
        }
        if (ip.indexOf(':') < 0 || !ip.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return false;
        }
        try {
            InetAddress.getByName(ip);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
