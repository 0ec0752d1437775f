package io.throughline.devstack;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One demo workspace's data as the loader sends it through the public APIs: ad spend, visits (hits as t.js sends them),
 * CRM deals with their payments, calls to a static number, overheads, and the stories the data set tells. Made by
 * {@link DemoStories}; pure data, no I/O.
 */
public final class DemoPlan {

    /** A day of one campaign's spend, in kopecks; {@code source} / {@code medium} are what the campaign's ads carry. */
    public record Spend(LocalDate day, String platform, String campaign, String source, String medium, long kopecks, int clicks) {
    }

    /** A hit: pageview or lead (with contacts and the form's fill time). */
    public record Event(String id, String type, Instant at, String url, String referrer, String email, String phone, Integer fillMs) {
    }

    /** One visitor's visit: the events in time order, the browser and network it came from. */
    public record Visit(String visitorId, String userAgent, String ip, List<Event> events) {
        public Instant first() {
            return events.getFirst().at();
        }
    }

    public record Payment(String id, String kind, long kopecks, Instant at) {
    }

    /** A CRM deal as the CRM pushes it; {@code stages} are (stage name, entered at) in order. */
    public record Deal(String id, String title, String status, String stage, String lossReason, long amountKopecks, long costKopecks,
            String productLine, String manager, Instant createdAt, Instant updatedAt, String email, String phone, String visitorId,
            List<StageEntry> stages, List<Payment> payments) {
    }

    public record StageEntry(String stage, Instant at) {
    }

    /** A call the PBX reports to a static (print) number. */
    public record Call(String id, String from, Instant at, int talkSeconds) {
    }

    /** A monthly overhead item (salaries, tools), in kopecks. */
    public record Overhead(String month, String category, long kopecks, String note) {
    }

    /**
     * A story the reports show: which report, which row, and the figures the plan was built to produce there (what the
     * loader prints and the end-to-end test checks).
     */
    public record Story(String name, String campaign, String text) {
    }

    final String tenant;
    final String business;
    final String domain;
    final LocalDate today;
    /** The naive view's belief (expected conversion %, expected check in roubles), or null for the deals' own amounts. */
    final int[] naiveBelief;
    final List<Spend> spend = new ArrayList<>();
    final List<Visit> visits = new ArrayList<>();
    final List<Deal> deals = new ArrayList<>();
    final List<Call> printCalls = new ArrayList<>();
    final List<Overhead> overheads = new ArrayList<>();
    final List<Story> stories = new ArrayList<>();

    DemoPlan(String tenant, String business, String domain, LocalDate today, int[] naiveBelief) {
        this.tenant = tenant;
        this.business = business;
        this.domain = domain;
        this.today = today;
        this.naiveBelief = naiveBelief;
    }

    public String tenant() {
        return tenant;
    }

    public LocalDate today() {
        return today;
    }

    public List<Spend> spend() {
        return spend;
    }

    public List<Visit> visits() {
        return visits;
    }

    public List<Deal> deals() {
        return deals;
    }

    public List<Call> printCalls() {
        return printCalls;
    }

    public List<Story> stories() {
        return stories;
    }

    /** Spend of one campaign over the whole plan, in kopecks. */
    public long spendOf(String campaign) {
        return spend.stream().filter(s -> s.campaign().equals(campaign)).mapToLong(Spend::kopecks).sum();
    }

    /** Lead events of one campaign's visits (bots, junk and second forms included): what an ad cabinet counts. */
    public long rawLeadsOf(String campaign) {
        return visits.stream().filter(v -> v.events().getFirst().url().contains("utm_campaign=" + campaign + "&")
                || v.events().getFirst().url().endsWith("utm_campaign=" + campaign))
                .mapToLong(v -> v.events().stream().filter(e -> e.type().equals("lead")).count()).sum();
    }

    /** Money received on the deals of the given visitors (payments less refunds), in kopecks. */
    public long paidBy(java.util.Set<String> visitorIds) {
        return deals.stream().filter(d -> d.visitorId() != null && visitorIds.contains(d.visitorId()))
                .flatMap(d -> d.payments().stream()).mapToLong(p -> p.kind().equals("refund") ? -p.kopecks() : p.kopecks()).sum();
    }
}
