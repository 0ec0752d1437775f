package io.throughline.devstack;

import static io.throughline.devstack.DemoSource.BRAND_SEARCH;
import static io.throughline.devstack.DemoSource.BUSINESS_CARDS;
import static io.throughline.devstack.DemoSource.DIRECT;
import static io.throughline.devstack.DemoSource.GENERIC_SEARCH;
import static io.throughline.devstack.DemoSource.NEWSLETTER;
import static io.throughline.devstack.DemoSource.PMAX;
import static io.throughline.devstack.DemoSource.PRINTING_SEARCH;
import static io.throughline.devstack.DemoSource.RETARGETING;
import static io.throughline.devstack.DemoSource.SEO_GOOGLE;
import static io.throughline.devstack.DemoSource.SEO_YANDEX;
import static io.throughline.devstack.DemoSource.TELEGRAM;

import io.throughline.devstack.DemoPlan.Deal;
import io.throughline.devstack.DemoPlan.Event;
import io.throughline.devstack.DemoPlan.Payment;
import io.throughline.devstack.DemoPlan.StageEntry;
import io.throughline.devstack.DemoPlan.Visit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The demo's generator: seeded and parameterized (seed, scale, the day it ends on), so the same call gives the same plan and a
 * larger scale a proportionally larger one with the same stories. Every count is a multiple that keeps each story's figures
 * exact at any scale: an online school whose ad cabinet believes 368.75 % ROMI on a campaign that really earns 38.75 %
 * (metrics.md's worked example), its retargeting spent on people who already paid, and a printing house whose campaign loses
 * 20 % on first purchases and pays back many times over through repeat orders.
 */
public final class DemoStories {

    static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    static final String PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    static final String CRAWLER = "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)";
    static final String[] PIPELINE = {"Первичный контакт", "Переговоры", "КП отправлено", "Счёт выставлен"};
    static final String WON = "Успешно реализовано";
    static final String LOST = "Закрыто и не реализовано";
    private static final String[] LOSS_REASONS = {"Дорого", "Не дозвонились", "Выбрали конкурента"};
    private static final String[] MANAGERS = {"Ольга", "Игорь", "Марина"};

    /** Someone who paid: for the stories that come back to them (retargeting, repeat orders). */
    record Customer(String visitorId, String email, String phone, Instant paidAt) {
    }

    private final DemoPlan plan;
    private final Random random;
    private final String seedText;
    private final String productLine;
    private final int costPct;
    private int serial;
    private int phones;

    private DemoStories(DemoPlan plan, long seed, String productLine, int costPct) {
        this.plan = plan;
        this.random = new Random(seed * 31 + plan.tenant.hashCode());
        this.seedText = seed + "/" + plan.tenant;
        this.productLine = productLine;
        this.costPct = costPct;
    }

    /**
     * The online school: five paid campaigns bought at 800 ₽ a raw lead, 6 % of whose raw leads pay 18,500 ₽ on average (the
     * school believes 15 % at 25,000 ₽), organic search, a newsletter and direct visits, retargeting shown mostly to people who
     * already paid, a print campaign answered by phone on a static number, salaries as overheads.
     */
    public static DemoPlan school(String tenant, long seed, int scale, LocalDate today) {
        DemoPlan plan = new DemoPlan(tenant, "online school", tenant + ".example", today, new int[] {15, 25_000});
        DemoStories s = new DemoStories(plan, seed, "courses", 0);
        List<Customer> customers = new ArrayList<>();
        customers.addAll(s.campaign(GENERIC_SEARCH, 300 * scale, 18 * scale, 18_500_00L, 360, 3, 800_00L * 300 * scale, 364, 1));
        customers.addAll(s.campaign(BRAND_SEARCH, 100 * scale, 6 * scale, 18_500_00L, 360, 3, 800_00L * 100 * scale, 364, 1));
        customers.addAll(s.campaign(PMAX, 150 * scale, 9 * scale, 18_500_00L, 360, 3, 800_00L * 150 * scale, 364, 1));
        customers.addAll(s.campaign(TELEGRAM, 50 * scale, 3 * scale, 18_500_00L, 360, 3, 800_00L * 50 * scale, 364, 1));
        customers.addAll(s.campaign(SEO_YANDEX, 50 * scale, 3 * scale, 18_500_00L, 360, 3, 0, 0, 0));
        customers.addAll(s.campaign(SEO_GOOGLE, 50 * scale, 3 * scale, 18_500_00L, 360, 3, 0, 0, 0));
        customers.addAll(s.campaign(NEWSLETTER, 50 * scale, 3 * scale, 18_500_00L, 300, 3, 0, 0, 0));
        customers.addAll(s.campaign(DIRECT, 50 * scale, 3 * scale, 18_500_00L, 360, 3, 0, 0, 0));
        s.refundOne(NEWSLETTER);
        s.retargeting(customers, 40 * scale, 10 * scale, scale);
        s.printCalls(30 * scale, scale);
        for (int m = 11; m >= 0; m--) {
            String month = today.minusMonths(m).withDayOfMonth(1).toString().substring(0, 7);
            plan.overheads.add(new DemoPlan.Overhead(month, "salaries", 60_000_00L * scale, "sales team"));
            plan.overheads.add(new DemoPlan.Overhead(month, "tools", 4_900_00L, "CRM and telephony"));
        }
        plan.stories.add(new DemoPlan.Story("naive vs real", GENERIC_SEARCH.campaign(), String.format(Locale.ROOT,
                "Yandex Direct generic_search: %d raw leads at 800 RUB; the ad cabinet's belief (15 %% x 25,000 RUB) gives ROMI 368.75 %%,"
                        + " the money received (6 %% of leads at 18,500 RUB) gives 38.75 %%", s.plan.rawLeadsOf(GENERIC_SEARCH.campaign()))));
        plan.stories.add(new DemoPlan.Story("retargeting", RETARGETING.campaign(), String.format(Locale.ROOT,
                "VK retargeting: %d of its %d raw leads come from people who had already paid; they are in \"Exclude from retargeting\"",
                40 * scale, 50 * scale)));
        return plan;
    }

    /**
     * The printing house: a business-cards campaign a year ago spent 50,000 ₽ and sold 40,000 ₽ at first purchase (ROMI -20 %,
     * revenue-based), and its customers then ordered 500,000 ₽ more without any ad; an ongoing search campaign; SEO and direct.
     */
    public static DemoPlan printingHouse(String tenant, long seed, int scale, LocalDate today) {
        DemoPlan plan = new DemoPlan(tenant, "printing house", tenant + ".example", today, null);
        DemoStories s = new DemoStories(plan, seed, "printing", 35);
        List<Customer> cards = s.campaign(BUSINESS_CARDS, 40 * scale, 20 * scale, 2_000_00L, 362, 345, 50_000_00L * scale, 364, 336);
        s.repeatOrders(cards, 500_000_00L * scale);
        s.campaign(PRINTING_SEARCH, 100 * scale, 12 * scale, 9_000_00L, 300, 3, 1_200_00L * 100 * scale, 300, 1);
        s.campaign(SEO_YANDEX, 50 * scale, 3 * scale, 9_000_00L, 360, 3, 0, 0, 0);
        s.campaign(DIRECT, 50 * scale, 3 * scale, 9_000_00L, 360, 3, 0, 0, 0);
        plan.stories.add(new DemoPlan.Story("cohort payback", BUSINESS_CARDS.campaign(), String.format(Locale.ROOT,
                "Google Ads business_cards, %s: spent 50,000 RUB, first purchases 40,000 RUB (ROMI -20 %%), the same customers then"
                        + " ordered 500,000 RUB more without ads: the cohort report shows the payback", today.minusDays(364))));
        return plan;
    }

    /**
     * A campaign's visits, leads and deals: of its raw leads 6 % are bots (forms filled in under a second), 6 % junk contacts,
     * 8 % second forms of a person; {@code paid} of the clean leads (older than 25 days) pay, together exactly {@code paid x
     * check}; of the rest about half get a deal that is lost, open, or won but never paid. Two clicks without a lead per raw
     * lead, and crawlers. Spend spread over the days {@code spendFrom..spendTo} ago, exactly {@code spendKopecks}.
     */
    List<Customer> campaign(DemoSource source, int raw, int paid, long check, int fromDay, int toDay, long spendKopecks, int spendFrom, int spendTo) {
        int bots = raw * 6 / 100;
        int junk = raw * 6 / 100;
        int seconds = raw * 8 / 100;
        int unique = raw - bots - junk - seconds;
        List<Visit> leads = new ArrayList<>();
        for (int i = 0; i < unique; i++) {
            leads.add(visit(source, day(fromDay, toDay), Lead.CLEAN, i < seconds));
        }
        for (int i = 0; i < bots; i++) {
            plan.visits.add(visit(source, day(fromDay, toDay), Lead.BOT, false));
        }
        for (int i = 0; i < junk; i++) {
            plan.visits.add(visit(source, day(fromDay, toDay), Lead.JUNK, false));
        }
        for (int i = 0; i < raw * 2 + raw / 20; i++) {
            plan.visits.add(visit(source, day(fromDay, 1), i % 40 == 39 ? Lead.CRAWLER : Lead.NONE, false));
        }
        plan.visits.addAll(leads);
        List<Visit> payers = new ArrayList<>(leads.stream().filter(v -> !v.events().getFirst().at().isAfter(daysAgo(25))).toList());
        java.util.Collections.shuffle(payers, random);
        payers = payers.subList(0, paid);
        List<Long> amounts = split(paid * check, paid, check / 5, 100_00L);
        List<Customer> customers = new ArrayList<>();
        for (int i = 0; i < payers.size(); i++) {
            Visit v = payers.get(i);
            Event lead = leadOf(v);
            Instant paidAt = lead.at().plus(2 + random.nextInt(18), ChronoUnit.DAYS);
            plan.deals.add(deal(v, lead, amounts.get(i), paidAt));
            customers.add(new Customer(v.visitorId(), lead.email(), lead.phone(), paidAt));
        }
        for (Visit v : leads) {
            if (!payers.contains(v) && random.nextInt(100) < 50) {
                plan.deals.add(unpaidDeal(v, leadOf(v), check));
            }
        }
        if (spendKopecks > 0) {
            spend(source, spendKopecks, spendFrom, spendTo);
        }
        return customers;
    }

    /** Retargeting: {@code returning} of the customers come back from a VK ad after paying and ask again; {@code fresh} new leads. */
    void retargeting(List<Customer> customers, int returning, int fresh, int scale) {
        List<Customer> earliest = customers.stream().sorted(Comparator.comparing(Customer::paidAt)).limit(returning).toList();
        for (Customer c : earliest) {
            Instant at = min(c.paidAt().plus(7 + random.nextInt(40), ChronoUnit.DAYS), daysAgo(1).minus(12, ChronoUnit.HOURS));
            plan.visits.add(new Visit(c.visitorId(), BROWSER, ip(), pageviews(RETARGETING, at, new Event(id(), "lead", at.plusSeconds(240),
                    "https://" + plan.domain + "/account/support", null, c.email(), c.phone(), 20_000 + random.nextInt(40_000)))));
        }
        List<Visit> leads = new ArrayList<>();
        for (int i = 0; i < fresh; i++) {
            leads.add(visit(RETARGETING, day(300, 30), Lead.CLEAN, false));
        }
        plan.visits.addAll(leads);
        for (int i = 0; i < scale; i++) {
            Event lead = leadOf(leads.get(i));
            plan.deals.add(deal(leads.get(i), lead, 18_500_00L, lead.at().plus(5, ChronoUnit.DAYS)));
        }
        for (int i = 0; i < fresh * 2; i++) {
            plan.visits.add(visit(RETARGETING, day(300, 1), Lead.NONE, false));
        }
        spend(RETARGETING, 800_00L * (returning + fresh), 320, 1);
    }

    /** Calls to the print campaign's static number: some callers call twice, some buy. */
    void printCalls(int calls, int scale) {
        List<String> callers = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String from = i % 5 == 4 && !callers.isEmpty() ? callers.get(random.nextInt(callers.size())) : phone("926");
            callers.add(from);
            Instant at = daysAgo(day(330, 2)).plusSeconds(random.nextInt(600));
            plan.printCalls.add(new DemoPlan.Call(name("call", plan.printCalls.size()).substring(0, 18), from, at, i % 7 == 3 ? 0 : 30 + random.nextInt(400)));
        }
        for (int i = 0; i < 2 * scale; i++) {
            DemoPlan.Call call = plan.printCalls.get(i * 5);
            Instant paidAt = min(call.at().plus(4, ChronoUnit.DAYS), daysAgo(1));
            plan.deals.add(new Deal(name("deal", plan.deals.size()), "Звонок по листовке", "won", WON, null, 18_500_00L, 0, productLine,
                    MANAGERS[i % 3], call.at().plusSeconds(600), paidAt, null, call.from(), null, stages(call.at().plusSeconds(600), 3, WON, paidAt),
                    List.of(new Payment("p1", "payment", 18_500_00L, paidAt))));
        }
    }

    /** The customers' later orders, without any ad: {@code total} kopecks over the months after their first purchase. */
    void repeatOrders(List<Customer> customers, long total) {
        List<Long> shares = split(total, customers.size(), total / customers.size() / 2, 100_00L);
        for (int c = 0; c < customers.size(); c++) {
            Customer customer = customers.get(c);
            int orders = 4 + random.nextInt(9);
            List<Long> amounts = split(shares.get(c), orders, shares.get(c) / orders / 2, 100_00L);
            long span = ChronoUnit.DAYS.between(customer.paidAt(), daysAgo(2)) - 20;
            for (int o = 0; o < orders; o++) {
                Instant at = customer.paidAt().plus(20 + (span * (o + 1)) / (orders + 1) + random.nextInt(5), ChronoUnit.DAYS);
                plan.deals.add(new Deal(name("deal", plan.deals.size()), "Повторный заказ", "won", WON, null, amounts.get(o),
                        amounts.get(o) * costPct / 100, productLine, MANAGERS[c % 3], at, at.plusSeconds(3600), customer.email(), null, null,
                        stages(at, 2, WON, at.plusSeconds(3600)), List.of(new Payment("p1", "payment", amounts.get(o), at.plusSeconds(3600)))));
            }
        }
    }

    /** Half of one paid newsletter deal refunded (a refund is negative revenue on the day it happens). */
    void refundOne(DemoSource source) {
        for (int i = plan.deals.size() - 1; i >= 0; i--) {
            Deal d = plan.deals.get(i);
            if (!d.payments().isEmpty() && d.visitorId() != null && plan.visits.stream().anyMatch(v -> v.visitorId().equals(d.visitorId())
                    && v.events().getFirst().url().contains("utm_campaign=" + source.campaign()))) {
                List<Payment> payments = new ArrayList<>(d.payments());
                payments.add(new Payment("r1", "refund", d.amountKopecks() / 2, min(d.updatedAt().plus(10, ChronoUnit.DAYS), daysAgo(1))));
                plan.deals.set(i, new Deal(d.id(), d.title(), d.status(), d.stage(), d.lossReason(), d.amountKopecks(), d.costKopecks(),
                        d.productLine(), d.manager(), d.createdAt(), d.updatedAt(), d.email(), d.phone(), d.visitorId(), d.stages(), payments));
                return;
            }
        }
    }

    private enum Lead { NONE, CRAWLER, CLEAN, BOT, JUNK }

    private Visit visit(DemoSource source, int daysAgo, Lead kind, boolean secondForm) {
        Instant start = daysAgo(daysAgo).plusSeconds(random.nextInt(9 * 3600));
        String visitor = name("v", plan.visits.size() + random.nextInt(1 << 20)).replace("-", "").substring(0, 24);
        List<Event> extra = new ArrayList<>();
        Instant leadAt = start.plusSeconds(180 + random.nextInt(600));
        int n = serial++;
        switch (kind) {
            case CLEAN -> {
                String email = String.format(Locale.ROOT, "%s.%d@%s", plan.tenant.equals("globex") ? "client" : "student", n,
                        n % 3 == 0 ? "mail.ru" : n % 3 == 1 ? "yandex.ru" : "gmail.com");
                String phone = phone("916");
                extra.add(new Event(id(), "lead", leadAt, "https://" + plan.domain + "/order", null, email, phone, 15_000 + random.nextInt(60_000)));
                if (secondForm) {
                    extra.add(new Event(id(), "lead", leadAt.plusSeconds(200), "https://" + plan.domain + "/callback", null, email, phone,
                            9_000 + random.nextInt(20_000)));
                }
            }
            case BOT -> extra.add(new Event(id(), "lead", leadAt, "https://" + plan.domain + "/order", null, "promo" + n + "@mail.ru", phone("903"),
                    300 + random.nextInt(500)));
            case JUNK -> extra.add(new Event(id(), "lead", leadAt, "https://" + plan.domain + "/order", null, "test" + n + "@mailinator.com",
                    "+7 999 999-99-99", 12_000 + random.nextInt(20_000)));
            default -> {
            }
        }
        String agent = kind == Lead.CRAWLER ? CRAWLER : random.nextInt(3) == 0 ? PHONE : BROWSER;
        return new Visit(visitor, agent, ip(), pageviews(source, start, extra.toArray(Event[]::new)));
    }

    private List<Event> pageviews(DemoSource source, Instant start, Event... after) {
        List<Event> events = new ArrayList<>();
        String click = Long.toString(random.nextLong() & 0xffffffffffL);
        String landing = source.landing(plan.domain, click);
        events.add(new Event(id(), "pageview", start, landing, source.referrer().isEmpty() ? null : source.referrer(), null, null, null));
        int pages = 1 + random.nextInt(3);
        for (int p = 1; p <= pages; p++) {
            events.add(new Event(id(), "pageview", start.plusSeconds(40L * p), "https://" + plan.domain + "/catalog/" + p, landing, null, null, null));
        }
        events.addAll(List.of(after));
        return events;
    }

    private Deal deal(Visit v, Event lead, long amount, Instant paidAt) {
        Instant created = lead.at().plusSeconds(300);
        paidAt = min(paidAt, daysAgo(1));
        List<Payment> payments = new ArrayList<>();
        if (random.nextInt(4) == 0) {
            long first = amount / 2;
            Instant second = min(paidAt.plus(7, ChronoUnit.DAYS), daysAgo(1).plusSeconds(3600));
            payments.add(new Payment("p1", "payment", first, paidAt));
            payments.add(new Payment("p2", "payment", amount - first, second));
        } else {
            payments.add(new Payment("p1", "payment", amount, paidAt));
        }
        return new Deal(name("deal", plan.deals.size()), "Заявка " + v.visitorId().substring(0, 6), "won", WON, null, amount, amount * costPct / 100,
                productLine, MANAGERS[random.nextInt(3)], created, paidAt, lead.email(), lead.phone(), v.visitorId(),
                stages(created, PIPELINE.length, WON, paidAt.minusSeconds(600)), payments);
    }

    private Deal unpaidDeal(Visit v, Event lead, long check) {
        Instant created = lead.at().plusSeconds(300);
        int outcome = random.nextInt(10);
        long amount = check * (50 + random.nextInt(101)) / 100 / 100_00L * 100_00L;
        Instant closed = min(created.plus(3 + random.nextInt(20), ChronoUnit.DAYS), daysAgo(1));
        String status = outcome < 5 ? "lost" : outcome < 8 ? "open" : "won";
        int reached = status.equals("open") ? 1 + random.nextInt(PIPELINE.length) : PIPELINE.length - random.nextInt(2);
        String last = status.equals("lost") ? LOST : status.equals("won") ? WON : null;
        return new Deal(name("deal", plan.deals.size()), "Заявка " + v.visitorId().substring(0, 6), status, last == null ? PIPELINE[reached - 1] : last,
                status.equals("lost") ? LOSS_REASONS[random.nextInt(3)] : null, amount, amount * costPct / 100, productLine, MANAGERS[random.nextInt(3)],
                created, closed, lead.email(), lead.phone(), v.visitorId(), stages(created, reached, last, closed), List.of());
    }

    private static List<StageEntry> stages(Instant from, int reached, String last, Instant lastAt) {
        List<StageEntry> out = new ArrayList<>();
        long step = Math.max(60, ChronoUnit.SECONDS.between(from, lastAt) / (reached + 1));
        for (int s = 0; s < reached; s++) {
            out.add(new StageEntry(PIPELINE[s], from.plusSeconds(step * s)));
        }
        if (last != null) {
            out.add(new StageEntry(last, lastAt));
        }
        return out;
    }

    private void spend(DemoSource source, long kopecks, int fromDay, int toDay) {
        int days = fromDay - toDay + 1;
        List<Long> daily = split(kopecks, days, kopecks / days / 2, 1);
        for (int d = 0; d < days; d++) {
            plan.spend.add(new DemoPlan.Spend(plan.today.minusDays(fromDay - d), source.platform(), source.campaign(), source.source(), source.medium(),
                    daily.get(d), 5 + random.nextInt(40)));
        }
    }

    /** {@code total} in {@code parts}, each within {@code spread} of the mean and a multiple of {@code unit}, adding up exactly. */
    private List<Long> split(long total, int parts, long spread, long unit) {
        List<Long> out = new ArrayList<>();
        long mean = total / parts;
        long sum = 0;
        for (int i = 0; i < parts - 1; i++) {
            long amount = Math.max(unit, (mean + (spread > 0 ? (long) ((random.nextDouble() * 2 - 1) * spread) : 0)) / unit * unit);
            out.add(amount);
            sum += amount;
        }
        out.add(total - sum);
        if (out.getLast() <= 0) {
            return split(total, parts, spread / 2, unit);
        }
        return out;
    }

    private int day(int fromDay, int toDay) {
        return toDay + random.nextInt(fromDay - toDay + 1);
    }

    /** 10:00 Moscow time on the day {@code days} before the plan's last day. */
    private Instant daysAgo(int days) {
        return plan.today.minusDays(days).atTime(LocalTime.of(10, 0)).atZone(ZONE).toInstant();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Event leadOf(Visit v) {
        return v.events().stream().filter(e -> e.type().equals("lead")).findFirst().orElseThrow();
    }

    /**
     * Distinct numbers: two people sharing one would be one person to identity. Numbers a form would refuse as placeholders
     * (six equal trailing digits such as 200-00-00, or a run such as 765-43-21) are skipped: they would make a clean lead junk.
     */
    private String phone(String operator) {
        int digits;
        do {
            digits = 2_000_000 + phones++ * 37;
        } while (digits % 1_000_000 % 111_111 == 0 || digits == 7_654_321 || digits == 9_876_543 || digits == 1_234_567);
        return String.format(Locale.ROOT, "+7 %s %03d-%02d-%02d", operator, digits / 10_000, digits / 100 % 100, digits % 100);
    }

    private String ip() {
        return "198.51." + (100 + random.nextInt(20)) + "." + (1 + random.nextInt(250));
    }

    /** Ids derive from the seed, so loading the same plan twice stores nothing twice. */
    private String id() {
        return name("event", serial++ * 7919 + random.nextInt(7919));
    }

    private String name(String kind, int n) {
        return UUID.nameUUIDFromBytes((seedText + "/" + kind + "/" + n + "/" + random.nextLong()).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
