package io.throughline.reporting.processing;

import io.quarkus.scheduler.Scheduled;
import io.throughline.commons.sql.Sql;
import io.throughline.reporting.client.CbrRates;
import io.throughline.reporting.config.ReportingConfig;
import io.throughline.reporting.domain.rates.CbrDailyXml;
import io.throughline.reporting.store.RateStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Daily rates from the Central Bank of Russia for rouble workspaces: on demand for a range, and on a schedule for the
 * last days of workspaces that hold spend or deals in another currency. A day the bank does not publish (weekends,
 * holidays) answers the last business day's rates, stored under the day the bank dates them.
 */
@ApplicationScoped
public class RatePulls {

    private static final Logger LOG = Logger.getLogger(RatePulls.class);

    private final CbrRates cbr;
    private final RateStore rates;
    private final DataSource db;
    private final ReportingConfig config;

    public RatePulls(CbrRates cbr, RateStore rates, DataSource db, ReportingConfig config) {
        this.cbr = cbr;
        this.rates = rates;
        this.db = db;
        this.config = config;
    }

    /** Pulls every day of [from, to] for the workspace; answers how many rates were stored. */
    public int pull(String tenantId, LocalDate from, LocalDate to) throws IOException {
        int stored = 0;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            CbrDailyXml.Result r = cbr.day(d);
            rates.upsert(tenantId, r.rates(), "cbr");
            stored += r.rates().size();
        }
        return stored;
    }

    @Scheduled(every = "${throughline.reporting.cbr.interval}", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        if (!config.cbr().daily()) {
            return;
        }
        List<String> tenants = Sql.transaction(db, c -> Sql.query(c, """
                SELECT DISTINCT s.tenant_id FROM reporting_settings s WHERE s.currency = 'RUB'
                   AND (EXISTS (SELECT 1 FROM ad_spend a WHERE a.tenant_id = s.tenant_id AND a.currency <> 'RUB' AND a.day >= current_date - 14)
                        OR EXISTS (SELECT 1 FROM deals d WHERE d.tenant_id = s.tenant_id AND d.currency <> 'RUB'))""", rs -> rs.getString(1)));
        LocalDate today = LocalDate.now();
        for (String t : tenants) {
            try {
                pull(t, today.minusDays(7), today);
            } catch (IOException | RuntimeException e) {
                LOG.infof("Pulling the Central Bank's rates for %s failed: %s", t, e.getMessage());
            }
        }
    }
}
