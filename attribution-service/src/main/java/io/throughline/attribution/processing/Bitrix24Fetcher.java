package io.throughline.attribution.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.throughline.attribution.domain.crm.Bitrix24Deal;
import io.throughline.attribution.domain.crm.CrmProblem;
import io.throughline.attribution.store.CrmIntegrations;
import io.throughline.attribution.store.Deals;
import io.throughline.commons.work.CoalescingWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads the Bitrix24 deals that webhooks announced: {@code crm.deal.get} and {@code crm.contact.get} on the
 * integration's inbound webhook address, then stores the deal like any other. A portal that does not answer keeps
 * the deal queued with a growing backoff (up to 10 minutes); after 20 failed attempts the event is dropped and logged.
 * The inbound address holds a secret: it is never logged.
 */
@ApplicationScoped
public class Bitrix24Fetcher {

    private static final Logger LOG = Logger.getLogger(Bitrix24Fetcher.class);
    private static final int BATCH = 20;
    private static final int MAX_ATTEMPTS = 20;

    private final CrmIntegrations integrations;
    private final Deals deals;
    private final DealIdentityRelay relay;
    private final ObjectMapper json;
    private final io.throughline.attribution.config.AdSecrets connections;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final CoalescingWorker worker;

    public Bitrix24Fetcher(CrmIntegrations integrations, Deals deals, DealIdentityRelay relay, ObjectMapper json,
            io.throughline.attribution.config.AdSecrets connections) {
        this.connections = connections;
        this.integrations = integrations;
        this.deals = deals;
        this.relay = relay;
        this.json = json;
        this.worker = CoalescingWorker.claiming("bitrix24-fetcher", BATCH, integrations::claimFetches, this::fetch);
    }

    void stop(@Observes ShutdownEvent event) {
        worker.close();
    }

    @Scheduled(every = "${throughline.attribution.identity-relay-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyFewSeconds() {
        trigger();
    }

    public void trigger() {
        worker.trigger();
    }

    private void fetch(CrmIntegrations.Fetch f) {
        Optional<CrmIntegrations.Integration> integration = integrations.find(f.integrationId());
        if (integration.isEmpty() || integration.get().restUrl() == null) {
            integrations.fetched(f, Instant.now());
            return;
        }
        CrmIntegrations.Integration i = integration.get();
        try {
            JsonNode deal = call(i.restUrl(), "crm.deal.get.json?id=" + f.externalId());
            String contactId = deal.path("CONTACT_ID").asText("");
            JsonNode contact = contactId.matches("[1-9]\\d{0,19}") ? call(i.restUrl(), "crm.contact.get.json?id=" + contactId) : null;
            deals.upsert(i.tenantId(), Bitrix24Deal.snapshot(deal, contact, i.settings()));
            integrations.fetched(f, f.claimedAt());
            relay.trigger();
        } catch (IOException | CrmProblem e) {
            if (f.attempts() >= MAX_ATTEMPTS) {
                LOG.warnf("Bitrix24 deal %s of integration %s dropped after %d attempts: %s", f.externalId(), i.id(), f.attempts(), e.getMessage());
                integrations.fetched(f, Instant.now());
                return;
            }
            long seconds = Math.min(600, 1L << Math.min(f.attempts(), 20));
            integrations.retryFetch(f, Instant.now().plusSeconds(seconds), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The {@code result} of one REST method; a portal error or anything but JSON is an IOException naming the method only. */
    private JsonNode call(String restUrl, String method) throws IOException, InterruptedException {
        String name = method.substring(0, method.indexOf('?'));
        // Checked again on every call: the portal's name may resolve elsewhere since it was stored (DNS rebinding).
        String unreachable = io.throughline.commons.net.ConnectorUrls.check(restUrl, connections.allowPrivateNetworks());
        if (unreachable != null) {
            throw new IOException("the portal's REST address " + unreachable);
        }
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(restUrl + method)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(name + " answered HTTP " + response.statusCode());
        }
        JsonNode body = json.readTree(response.body());
        if (body == null || !body.path("result").isObject()) {
            throw new IOException(name + " answered without a result" + (body == null ? "" : ": " + body.path("error").asText("")));
        }
        return body.path("result");
    }
}
