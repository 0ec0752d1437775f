package io.throughline.tracking.api;

import io.throughline.tracking.store.DurableHits;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while accepted events can be made durable: the store answers, or the spool has room. A store outage
 * alone keeps the collector ready (it spools, and says so here and in the metrics); a full spool does not.
 */
@Readiness
@ApplicationScoped
public class CollectorReadiness implements HealthCheck {

    private final DurableHits durable;

    public CollectorReadiness(DurableHits durable) {
        this.durable = durable;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("collector")
                .status(durable.storeUp() || durable.spoolHasRoom())
                .withData("store", durable.storeUp() ? "up" : "down")
                .withData("writing_to", durable.spooling() ? "spool" : "store")
                .withData("spool_batches", durable.spoolBatches())
                .withData("spool_bytes", durable.spoolBytes())
                .withData("spool_has_room", durable.spoolHasRoom())
                .withData("spool_sealed", durable.sealing())
                .withData("spool_replay", durable.replayStalled() == null ? "running" : "waiting: " + durable.replayStalled())
                .build();
    }
}
