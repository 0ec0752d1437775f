package io.throughline.reporting.reports;

import static io.throughline.reporting.ReportFixtures.json;
import static io.throughline.reporting.ReportFixtures.report;
import static io.throughline.reporting.ReportWorld.k;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.throughline.reporting.ReportWorld;
import io.throughline.testkit.PostgresTestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Group-by, filters, sorting, stable paging and the CSV export every report shares. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class, initArgs = @ResourceArg(name = "database", value = "throughline_reporting_test"))
class ReportOutputTest {

    private static final String NOVEMBER = "from=2026-11-01&to=2026-11-30";

    private static ReportWorld keywords() {
        ReportWorld w = new ReportWorld("output-keywords");
        for (int i = 1; i <= 7; i++) {
            w.spend("2026-11-0" + i, "yandex_direct", k("paid_search", "yandex", "sofas", "kw" + i), i + "00.00", i);
        }
        w.spend("2026-11-08", "vk_ads", k("paid_social", "vk", "retarget", ""), "50.00", 1);
        return w;
    }

    @Test
    void keywordsPageStablyInTheOrderAsked() {
        keywords();
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = json("output-keywords", "keywords", NOVEMBER + "&channel=paid_search&sort=-cost&limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
            seen.addAll(page.getList("items.keyword"));
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        assertEquals(List.of("kw7", "kw6", "kw5", "kw4", "kw3", "kw2", "kw1"), seen);
        JsonPath grouped = json("output-keywords", "channels", NOVEMBER + "&group_by=source,campaign&sort=source");
        assertEquals(List.of("vk", "yandex"), grouped.getList("items.source"));
        assertNull(grouped.get("items[0].keyword"));
        report("output-keywords", "keywords", NOVEMBER + "&sort=-cost&limit=3&cursor=" + json("output-keywords", "keywords", NOVEMBER + "&limit=3")
                .getString("next_cursor")).statusCode(400);
    }

    @Test
    void theCsvExportHasTheDocumentedColumnsAndExcelFriendlyDecimals() {
        keywords();
        String csv = report("output-keywords", "keywords", NOVEMBER + "&format=csv&sort=keyword").statusCode(200)
                .header("Content-Type", startsWith("text/csv")).header("Content-Disposition", containsString("keywords-2026-11-01-2026-11-30.csv"))
                .extract().asString();
        String[] lines = csv.split("\r\n");
        assertEquals("\uFEFFchannel,source,campaign,keyword,currency,cost,overhead,cost_full,impressions,clicks", String.join(",",
                java.util.Arrays.copyOf(lines[0].split(","), 10)));
        assertEquals(9, lines.length, "a header and 8 rows, every page at once");
        String semicolons = report("output-keywords", "channels", NOVEMBER + "&format=csv&delimiter=semicolon&sort=channel").extract().asString();
        assertEquals("paid_search;RUB;2800,00", semicolons.split("\r\n")[1].substring(0, "paid_search;RUB;2800,00".length()));
    }
}
