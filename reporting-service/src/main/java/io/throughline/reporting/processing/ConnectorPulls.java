package io.throughline.reporting.processing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.throughline.reporting.client.PlatformReports;
import io.throughline.reporting.config.ReportingConfig;
import io.throughline.reporting.config.Secrets;
import io.throughline.reporting.domain.ReportSettings;
import io.throughline.reporting.domain.spend.SpendFile;
import io.throughline.reporting.store.ConnectorStore;
import io.throughline.reporting.store.ImportStore;
import io.throughline.reporting.store.SettingsStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Scheduled pulls of spend from the platforms: every due connector fetches its last days (the platforms restate recent
 * spend) and imports them like an upload (each day replaced). A failed pull is due again after a growing delay
 * (1, 2, 4 ... minutes, at most the configured maximum) with its error kept; credentials sealed with an older key are
 * sealed again with the current one.
 */
@ApplicationScoped
public class ConnectorPulls {

    private static final Logger LOG = Logger.getLogger(ConnectorPulls.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectorStore connectors;
    private final PlatformReports platforms;
    private final SpendImports imports;
    private final SettingsStore settings;
    private final Secrets secrets;
    private final ReportingConfig config;

    public ConnectorPulls(ConnectorStore connectors, PlatformReports platforms, SpendImports imports, SettingsStore settings, Secrets secrets,
            ReportingConfig config) {
        this.connectors = connectors;
        this.platforms = platforms;
        this.imports = imports;
        this.settings = settings;
        this.secrets = secrets;
        this.config = config;
    }

    @Scheduled(every = "${throughline.reporting.connectors.interval}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        pullDue();
    }

    /** Pulls every due connector; answers how many ran. */
    public int pullDue() {
        int n = 0;
        for (ConnectorStore.Connector c : connectors.claimDue(10, Duration.ofMinutes(30))) {
            ReportSettings s = settings.get(c.tenantId());
            LocalDate today = LocalDate.now(s.zone());
            pull(c, today.minusDays(c.lookbackDays()), today);
            n++;
        }
        return n;
    }

    /** One pull of [from, to]; answers the import it made, or null when it failed (the error is on the connector). */
    public ImportStore.Import pull(ConnectorStore.Connector c, LocalDate from, LocalDate to) {
        ReportSettings s = settings.get(c.tenantId());
        try {
            Map<String, String> credentials = JSON.readValue(secrets.box().open(c.tenantId(), c.credentials()), new TypeReference<>() { });
            if (secrets.box().needsResealing(c.credentials())) {
                connectors.reseal(c.id(), secrets.box().seal(c.tenantId(), JSON.writeValueAsString(credentials)));
            }
            SpendFile file = platforms.fetch(new PlatformReports.Pull(c.platform(), c.account(), c.currency(), c.baseUrl(), credentials, c.options(),
                    from, to, s.platforms(), LocalDate.now(s.zone())));
            ImportStore.Import done = imports.runNow(c.tenantId(), c.platform(), "connector:" + c.name(), file);
            connectors.ran(c.id(), done.id(), null, Instant.now().plus(Duration.ofMinutes(c.everyMinutes())));
            return done;
        } catch (RuntimeException | java.io.IOException e) {
            String error = e instanceof PlatformReports.Transient || e instanceof PlatformReports.Refused ? e.getMessage()
                    : "the pull failed: " + e.getClass().getSimpleName();
            long minutes = Math.min(config.connectors().maxBackoff().toMinutes(), 1L << Math.min(c.attempts(), 20));
            connectors.ran(c.id(), null, error, Instant.now().plus(Duration.ofMinutes(minutes)));
            LOG.infof("Connector %s (%s) failed, next try in %d min: %s", c.id(), c.platform(), minutes, error);
            return null;
        }
    }

    public ConnectorStore.Connector find(String tenantId, UUID id) {
        return connectors.find(tenantId, id).orElse(null);
    }
}
