package io.throughline.tracking.api;

import io.throughline.commons.api.Page;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The explorers' pages as CSV (one row per session or hit; the next cursor in a Link-like header). */
final class ExplorerCsv {

    private ExplorerCsv() {
    }

    static Response sessions(Page<SessionView> page) {
        return csv(page.nextCursor(), List.of("id", "site_id", "visitor_id", "started_at", "last_hit_at", "channel", "source", "medium",
                "campaign", "term", "content", "click_ids", "landing_page", "referrer_host", "device_class", "hits", "pageviews", "leads",
                "excluded", "exclusion_reasons"), page.items().stream().map(s -> List.<Object>of(s.id(), nz(s.siteId()), s.visitorId(),
                nz(s.startedAt()), nz(s.lastHitAt()), nz(s.channel()), campaign(s.campaign(), 0), campaign(s.campaign(), 1),
                campaign(s.campaign(), 2), campaign(s.campaign(), 3), campaign(s.campaign(), 4), s.clickIds() == null ? "" : s.clickIds().toString(),
                nz(s.landingPage()), nz(s.referrerHost()), nz(s.deviceClass()), s.hits(), s.pageviews(), s.leads(), s.excluded(),
                String.join(" ", s.exclusionReasons()))).toList());
    }

    static Response hits(Page<HitView> page) {
        return csv(page.nextCursor(), List.of("event_id", "session_id", "visitor_id", "type", "occurred_at", "url", "channel", "source",
                "medium", "campaign", "device_class", "lead_email", "lead_phone", "name", "excluded", "exclusion_reasons"),
                page.items().stream().map(h -> List.<Object>of(h.eventId(), nz(h.sessionId()), h.visitorId(), h.type(), nz(h.occurredAt()),
                        nz(h.url()), h.source() == null ? "" : nz(h.source().channel()),
                        h.source() == null ? "" : campaign(h.source().campaign(), 0), h.source() == null ? "" : campaign(h.source().campaign(), 1),
                        h.source() == null ? "" : campaign(h.source().campaign(), 2), nz(h.deviceClass()),
                        h.lead() == null ? "" : nz(h.lead().email()), h.lead() == null ? "" : nz(h.lead().phone()), nz(h.name()),
                        h.excluded(), String.join(" ", h.exclusionReasons()))).toList());
    }

    private static Response csv(String nextCursor, List<String> header, List<List<Object>> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get())) {
            for (List<Object> row : rows) {
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Response.ResponseBuilder response = Response.ok(out.toString(), "text/csv; charset=utf-8");
        if (nextCursor != null) {
            response.header("X-Next-Cursor", nextCursor);
        }
        return response.build();
    }

    private static String campaign(SessionView.CampaignView c, int field) {
        if (c == null) {
            return "";
        }
        return nz(switch (field) {
            case 0 -> c.source();
            case 1 -> c.medium();
            case 2 -> c.campaign();
            case 3 -> c.term();
            default -> c.content();
        });
    }

    private static String nz(Object value) {
        return value == null ? "" : value.toString();
    }
}
