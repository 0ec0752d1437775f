package io.throughline.reporting;

import static io.restassured.RestAssured.given;

import com.google.protobuf.Timestamp;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.throughline.contracts.attribution.v1.CreditTotal;
import io.throughline.contracts.attribution.v1.DealChange;
import io.throughline.contracts.attribution.v1.DealPayment;
import io.throughline.contracts.attribution.v1.DealStageEntry;
import io.throughline.contracts.attribution.v1.RunDeal;
import io.throughline.contracts.attribution.v1.SeriesVersion;
import io.throughline.contracts.calltracking.v1.CallRecord;
import io.throughline.contracts.common.v1.Campaign;
import io.throughline.contracts.tracking.v1.Contact;
import io.throughline.contracts.tracking.v1.TrafficRow;
import io.throughline.testkit.TestTokens;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One workspace's world as the other services would hold it, put into the gRPC fakes (leads, calls, traffic, deals
 * with payments) and into reporting's own API (spend). Its default series, last_non_direct, credits each deal's money
 * wholly to the touch that created its lead, as attribution does for a one-touch journey; other series are given
 * explicitly. Days are Moscow days (the default zone).
 */
public final class ReportWorld {

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    /** Campaign keys of a touch. */
    public record K(String channel, String source, String medium, String campaign, String keyword) {
        Campaign proto() {
            return Campaign.newBuilder().setSource(source).setMedium(medium).setCampaign(campaign).setTerm(keyword).build();
        }
    }

    public record Pay(String id, String at, long amountMajor) {
    }

    private record Deal(String id, Instant created, K lead, String person, long amountMajor, double grossRatio, List<Pay> payments, int touches) {
    }

    public final String tenant;
    private final List<Deal> deals = new ArrayList<>();
    private final Map<String, List<CreditTotal>> extraSeries = new TreeMap<>();
    private int version = 1;

    public ReportWorld(String tenant) {
        this.tenant = tenant;
    }

    public static K k(String channel, String source, String campaign) {
        return new K(channel, source, channel.startsWith("paid") ? "cpc" : "", campaign, "");
    }

    public static K k(String channel, String source, String campaign, String keyword) {
        return new K(channel, source, "cpc", campaign, keyword);
    }

    public static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    /** Spend through reporting's own API (rows keyed to meet the visits: utm_source and channel given). */
    public ValidatableResponse spend(String day, String platform, K keys, String cost, long clicks) {
        String row = "{\"day\": \"" + day + "\", \"platform\": \"" + platform + "\", \"campaign\": \"" + keys.campaign() + "\", \"keyword\": \""
                + keys.keyword() + "\", \"clicks\": " + clicks + ", \"impressions\": " + clicks * 20 + ", \"cost\": " + cost
                + ", \"currency\": \"RUB\", \"utm_source\": \"" + keys.source() + "\", \"utm_medium\": \"" + keys.medium() + "\", \"channel\": \""
                + keys.channel() + "\"}";
        return given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON).body("{\"rows\": [" + row + "]}")
                .when().post("/api/reporting/spend").then().statusCode(200);
    }

    /** A form lead. */
    public ReportWorld form(String id, String at, K keys, String person, boolean junk, boolean returning) {
        FakeFeeds.CONTACTS.add(Contact.newBuilder().setTenantId(tenant).setContactId(tenant + ":" + id).setKind("form").setOccurredAt(ts(at(at)))
                .setSiteId("site-" + tenant).setSiteKey("pk_" + tenant).setChannel(keys.channel()).setCampaign(keys.proto()).setJunk(junk)
                .setPersonId(person == null ? "" : person).setVerdict(returning ? "returning_customer" : "new").build());
        return this;
    }

    /** Many leads of one person each. */
    public ReportWorld forms(int count, String at, K keys, String personPrefix) {
        for (int i = 0; i < count; i++) {
            form(personPrefix + "-lead-" + i, at, keys, personPrefix + "-" + i, false, false);
        }
        return this;
    }

    public ReportWorld call(String id, String at, K keys, String person, boolean answered, boolean target, boolean spam, boolean matched) {
        FakeFeeds.CALLS.add(CallRecord.newBuilder().setTenantId(tenant).setCallId(tenant + "-" + id).setSiteKey("pk_" + tenant).setStartedAt(ts(at(at)))
                .setDirection("inbound").setStatus(answered ? "answered" : "no_answer").setCompleted(true).setTalkSeconds(answered ? 90 : 0)
                .setTarget(target).setFirstTime(true).setMissed(!answered).setExcluded(spam).setMatchKind(matched ? "reservation" : "unidentified")
                .setMatchConfidence(matched ? 1 : 0).setChannel(matched ? keys.channel() : "").setCampaign(matched ? keys.proto() : Campaign.getDefaultInstance())
                .setPersonId(person == null ? "" : person).setVerdict("new").build());
        return this;
    }

    public ReportWorld traffic(String day, K keys, long sessions, long bots) {
        FakeFeeds.TRAFFIC.add(TrafficRow.newBuilder().setTenantId(tenant).setDay(day).setSiteId("site-" + tenant).setSiteKey("pk_" + tenant)
                .setChannel(keys.channel()).setCampaign(keys.proto()).setSessions(sessions).setBotSessions(bots).build());
        return this;
    }

    /** A deal; its money (payments, refunds negative) is credited to the lead keys in the default series. */
    public ReportWorld deal(String id, String created, K lead, String person, String status, long amountMajor, double grossRatio, Pay... payments) {
        return deal(id, created, lead, person, status, amountMajor, grossRatio, "", "", List.of(), 1, payments);
    }

    public ReportWorld deal(String id, String created, K lead, String person, String status, long amountMajor, double grossRatio, String manager,
            String lossReason, List<String[]> stages, int touches, Pay... payments) {
        Instant createdAt = at(created);
        deals.add(new Deal(id, createdAt, lead, person, amountMajor, grossRatio, List.of(payments), touches));
        DealChange.Builder d = DealChange.newBuilder().setTenantId(tenant).setDealId(tenant + "-" + id).setCrm("crm").setCreatedAt(ts(createdAt))
                .setChangedAt(ts(Instant.now())).setStatus(status).setLossReason(lossReason).setManager(manager).setCurrency("RUB")
                .setAmountMinor(amountMajor * 100).setGrossRatio(grossRatio).setPersonId(person).setVerdict("new");
        String furthest = payments.length > 0 && java.util.Arrays.stream(payments).anyMatch(p -> p.amountMajor() > 0) ? "paid"
                : status.equals("won") ? "won" : "lead";
        for (String[] s : stages) {
            d.addStages(DealStageEntry.newBuilder().setStage(s[0]).setCanonicalStage(s[0]).setEnteredAt(ts(at(s[1]))));
            if (!furthest.equals("paid") && !furthest.equals("won") && !s[0].equals("lost")) {
                furthest = s[0];
            }
        }
        d.setFurthestStage(furthest);
        for (Pay p : payments) {
            d.addPayments(DealPayment.newBuilder().setPaymentId(p.id()).setAmountMinor(p.amountMajor() * 100).setPaidAt(ts(at(p.at()))));
        }
        FakeFeeds.DEALS.add(d.build());
        return this;
    }

    /** Totals of another series, given outright (a model that credits differently). */
    public ReportWorld credit(String series, String day, K keys, long revenueMajor, double grossRatio, double paidDeals, double newCustomers) {
        extraSeries.computeIfAbsent(series, s -> new ArrayList<>()).add(total(day, keys, BigDecimal.valueOf(revenueMajor * 100), grossRatio, paidDeals,
                newCustomers, paidDeals));
        return this;
    }

    /** Announces the series (the default one built from the deals) as a new version. */
    public ReportWorld publish() {
        List<CreditTotal> totals = new ArrayList<>();
        List<RunDeal> journeys = new ArrayList<>();
        Set<String> customers = new HashSet<>();
        List<Deal> byFirstPayment = new ArrayList<>(deals);
        byFirstPayment.sort(Comparator.comparing(d -> d.payments().stream().filter(p -> p.amountMajor() > 0).map(p -> at(p.at()))
                .min(Instant::compareTo).orElse(Instant.MAX)));
        for (Deal d : byFirstPayment) {
            boolean firstOfPerson = false;
            boolean firstPayment = true;
            for (Pay p : d.payments().stream().sorted(Comparator.comparing(Pay::at)).toList()) {
                boolean isFirst = firstPayment && p.amountMajor() > 0;
                if (isFirst) {
                    firstOfPerson = customers.add(d.person());
                    firstPayment = false;
                }
                String day = at(p.at()).atZone(MOSCOW).toLocalDate().toString();
                totals.add(total(day, d.lead(), BigDecimal.valueOf(p.amountMajor() * 100), d.grossRatio(), isFirst ? 1 : 0, isFirst && firstOfPerson ? 1 : 0,
                        isFirst ? 1 : 0));
            }
            journeys.add(RunDeal.newBuilder().setDealId(tenant + "-" + d.id()).setPersonKey("person:" + d.person()).setTouches(d.touches())
                    .setLeadChannel(d.lead().channel()).setLeadCampaign(d.lead().proto()).setNewCustomer(firstOfPerson).build());
        }
        put("last_non_direct", "last_non_direct", true, totals, journeys);
        extraSeries.forEach((series, t) -> put(series, series, false, t, List.of()));
        version++;
        return this;
    }

    private void put(String series, String model, boolean isDefault, List<CreditTotal> totals, List<RunDeal> journeys) {
        SeriesVersion v = SeriesVersion.newBuilder().setTenantId(tenant).setSeries(series).setModel(model).setVersion(version)
                .setRunId(UUID.nameUUIDFromBytes((tenant + series + version).getBytes()).toString()).setIsDefault(isDefault)
                .setCutoff(ts(Instant.now())).setConversionEvent("payment").setFull(true).build();
        FakeFeeds.SERIES.put(tenant + "|" + series, new FakeFeeds.Series(v, totals, journeys));
    }

    private static CreditTotal total(String day, K keys, BigDecimal revenueMinor, double grossRatio, double paid, double fresh, double conversions) {
        return CreditTotal.newBuilder().setDay(LocalDate.parse(day).toString()).setChannel(keys.channel()).setCampaign(keys.proto()).setCurrency("RUB")
                .setConversions(conversions).setRevenueMinor(revenueMinor.toPlainString())
                .setGrossProfitMinor(revenueMinor.multiply(BigDecimal.valueOf(grossRatio)).toPlainString()).setPaidDeals(paid).setNewCustomers(fresh).build();
    }
}
