package io.throughline.attribution.audiences;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.throughline.attribution.FakeTouchpoints;
import io.throughline.attribution.domain.audiences.AudiencePlatform;
import io.throughline.attribution.processing.AudienceSync;
import io.throughline.attribution.processing.ConversionOutbox;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Audience pushes and offline conversions against local fakes of the platforms' APIs that check each documented request. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class AdConnectionsTest {

    @Inject
    AudienceSync sync;

    @Inject
    ConversionOutbox outbox;

    @Inject
    DataSource db;

    private static String admin(String tenant) {
        return TestTokens.user(tenant, "admin");
    }

    private static String connect(String tenant, String body) {
        return given().auth().oauth2(admin(tenant)).contentType(ContentType.JSON).body(body).when().post("/api/attribution/ad-connections").then()
                .statusCode(201).extract().path("id");
    }

    private static String list(String tenant, String name, int from, int to, String extra) {
        String id = given().auth().oauth2(admin(tenant)).contentType(ContentType.JSON).body("{\"name\": \"" + name + "\", \"kind\": \"uploaded\"}").when()
                .post("/api/attribution/audiences").then().statusCode(201).extract().path("id");
        upload(tenant, id, from, to, extra);
        return id;
    }

    private static void upload(String tenant, String id, int from, int to, String extra) {
        StringBuilder csv = new StringBuilder("email,phone\n");
        for (int i = from; i < to; i++) {
            csv.append("client").append(i).append("@mail.ru,\n");
        }
        csv.append(extra);
        given().auth().oauth2(admin(tenant)).contentType("text/csv").body(csv.toString()).when().put("/api/attribution/audiences/" + id + "/entries")
                .then().statusCode(200);
    }

    private static void push(String tenant, String audience, String connection, String remote) {
        given().auth().oauth2(admin(tenant)).contentType(ContentType.JSON).body("{\"remote_list\": \"" + remote + "\"}")
                .when().put("/api/attribution/ad-connections/" + connection + "/syncs/" + audience).then().statusCode(200);
    }

    @Test
    void audienceChangesArePushedToGoogleMetaAndYandexAsTheirApisDocument() throws Exception {
        String t = "push-a";
        try (FakeAdPlatforms fake = new FakeAdPlatforms()) {
            String google = connect(t, "{\"platform\": \"google\", \"name\": \"Google\", \"base_url\": \"" + fake.url() + "\","
                    + " \"credentials\": {\"access_token\": \"g-token-secret\"}, \"options\": {\"customer_id\": \"1234567890\"}}");
            String meta = connect(t, "{\"platform\": \"meta\", \"name\": \"Meta\", \"base_url\": \"" + fake.url() + "\","
                    + " \"credentials\": {\"access_token\": \"m-token\"}}");
            String yandex = connect(t, "{\"platform\": \"yandex\", \"name\": \"Yandex\", \"base_url\": \"" + fake.url() + "\","
                    + " \"credentials\": {\"oauth_token\": \"y-token\"}}");
            String vk = connect(t, "{\"platform\": \"vk\", \"name\": \"VK\", \"base_url\": \"" + fake.url() + "\","
                    + " \"credentials\": {\"access_token\": \"vk-token\"}, \"options\": {\"account_id\": \"1900001\"}}");
            String clients = list(t, "Clients", 0, 1120, ",8 (912) 345-67-89\n");
            push(t, clients, google, "4455");
            push(t, clients, meta, "23850001");
            push(t, clients, yandex, "777");
            push(t, clients, vk, "3300");
            fake.failFirst.set(2); // two 503s: retried within the round
            assertEquals(4, sync.round());

            JsonNode ingest = fake.to("audienceMembers:ingest").get(0).json();
            assertEquals("1234567890", ingest.at("/destinations/0/operatingAccount/accountId").asText());
            assertEquals("4455", ingest.at("/destinations/0/productDestinationId").asText());
            assertEquals(1121, ingest.path("audienceMembers").size());
            assertTrue(ingest.toString().contains(AudiencePlatform.sha256("+79123456789")), "Google's phone is E.164 with +");
            assertEquals("Bearer g-token-secret", fake.to("audienceMembers:ingest").get(0).authorization());
            FakeAdPlatforms.Seen metaAdd = fake.to("/23850001/users").get(0);
            assertEquals("POST", metaAdd.method());
            assertEquals(1121, metaAdd.json().at("/payload/data").size());
            assertTrue(metaAdd.body().contains(AudiencePlatform.sha256("79123456789")), "Meta's phone is digits only");
            FakeAdPlatforms.Seen yandexAdd = fake.to("/segment/777/modify_data").get(0);
            assertEquals("modification_type=addition", yandexAdd.query());
            assertEquals(1122, yandexAdd.file().split("\n").length, "the header and 1,121 rows");
            List<FakeAdPlatforms.Seen> vkAdds = fake.to("/method/ads.importTargetContacts");
            assertEquals(2, vkAdds.size(), "1,121 contacts in calls of at most 1,000");
            assertEquals("3300", vkAdds.get(0).field("target_group_id"));
            assertTrue(vkAdds.stream().anyMatch(v -> java.util.Arrays.asList(v.field("contacts").split(",")).contains("79123456789")),
                    "VK takes plain contacts, phones as 7XXXXXXXXXX");
            assertEquals(0, sync.round(), "nothing new to send");

            // One client leaves, one joins: each platform is sent exactly that, removals first.
            fake.seen.clear();
            upload(t, clients, 1, 1121, ",8 (912) 345-67-89\n");
            assertEquals(4, sync.round());
            assertEquals("client0@mail.ru", fake.to("/method/ads.removeTargetContacts").get(0).field("contacts"));
            assertEquals("client1120@mail.ru", fake.to("/method/ads.importTargetContacts").get(0).field("contacts"));
            assertEquals(1, fake.to("audienceMembers:ingest").get(0).json().path("audienceMembers").size());
            JsonNode removed = fake.to("audienceMembers:remove").get(0).json();
            assertEquals(AudiencePlatform.sha256("client0@mail.ru"), removed.at("/audienceMembers/0/userData/userIdentifiers/0/emailAddress").asText());
            assertEquals(List.of("DELETE", "POST"), fake.to("/23850001/users").stream().map(FakeAdPlatforms.Seen::method).toList());
            assertEquals(List.of("modification_type=subtraction", "modification_type=addition"),
                    fake.to("/segment/777/modify_data").stream().map(FakeAdPlatforms.Seen::query).toList());
            List<Map<String, Object>> syncs = syncsOf(t, clients, google, meta, yandex, vk);
            int version = given().auth().oauth2(admin(t)).when().get("/api/attribution/audiences/" + clients).then().extract().path("version");
            assertTrue(syncs.stream().allMatch(s -> ((Number) s.get("synced_version")).intValue() == version && s.get("last_error") == null), syncs.toString());

            // The platform keeps failing: the version stays, the error is kept, the retry waits.
            fake.seen.clear();
            upload(t, clients, 2, 1121, ",8 (912) 345-67-89\n");
            fake.failFirst.set(1000);
            assertEquals(0, sync.round());
            fake.failFirst.set(0);
            syncs = syncsOf(t, clients, google, meta, yandex, vk);
            assertTrue(syncs.stream().allMatch(s -> ((Number) s.get("synced_version")).intValue() == version
                    && ((String) s.get("last_error")).contains("503")), syncs.toString());

            // Too small to send.
            String few = list(t, "Few", 0, 3, "");
            push(t, few, google, "9999");
            sync.round();
            List<Map<String, Object>> fewSyncs = syncsOf(t, few, google);
            assertTrue(((String) fewSyncs.get(0).get("last_error")).contains("needs at least 100"));
            assertTrue(fake.to("9999").isEmpty());

            // Credentials are sealed at rest and never answered.
            String listed = given().auth().oauth2(admin(t)).when().get("/api/attribution/ad-connections").then().statusCode(200).extract().asString();
            assertFalse(listed.contains("g-token-secret"));
            try (var c = db.getConnection(); var s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT credentials FROM ad_connections WHERE tenant_id = 'push-a'")) {
                while (rs.next()) {
                    assertFalse(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1).contains("token"));
                }
            }
            // Another workspace neither sees nor uses them.
            given().auth().oauth2(admin("push-b")).when().get("/api/attribution/ad-connections").then().body("items.size()", equalTo(0));
            String theirs = list("push-b", "Theirs", 0, 1, "");
            given().auth().oauth2(admin("push-b")).contentType(ContentType.JSON).body("{\"remote_list\": \"1\"}")
                    .when().put("/api/attribution/ad-connections/" + google + "/syncs/" + theirs).then().statusCode(404);
            given().auth().oauth2(admin(t)).contentType(ContentType.JSON).body("{\"remote_list\": \"1\"}")
                    .when().put("/api/attribution/ad-connections/" + google + "/syncs/" + theirs).then().statusCode(400)
                    .body("errors[0].field", equalTo("audience"));
        }
    }

    private static List<Map<String, Object>> syncsOf(String tenant, String audience, String... connections) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String c : connections) {
            List<Map<String, Object>> items = given().auth().oauth2(admin(tenant)).when().get("/api/attribution/ad-connections/" + c + "/syncs").then()
                    .statusCode(200).extract().path("items");
            items.stream().filter(s -> audience.equals(s.get("audience_id"))).forEach(out::add);
        }
        return out;
    }

    @Test
    void connectionsAreValidatedFieldByField() {
        String t = "push-bad";
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON).body("{\"platform\": \"tiktok\", \"name\": \"x\"}").when()
                .post("/api/attribution/ad-connections").then().statusCode(400).body("errors[0].field", equalTo("platform"));
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON)
                .body("{\"platform\": \"google\", \"name\": \"x\", \"credentials\": {\"access_token\": \"a\"}}").when()
                .post("/api/attribution/ad-connections").then().statusCode(400).body("errors[0].field", equalTo("options.customer_id"));
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON)
                .body("{\"platform\": \"meta\", \"name\": \"x\", \"base_url\": \"ftp://files.example\", \"credentials\": {\"access_token\": \"a\"}}").when()
                .post("/api/attribution/ad-connections").then().statusCode(400).body("errors[0].field", equalTo("base_url"));
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON)
                .body("{\"platform\": \"yandex\", \"name\": \"x\", \"credentials\": {\"oauth_token\": \"a\"}, \"conversions\": true}").when()
                .post("/api/attribution/ad-connections").then().statusCode(400).body("errors[0].field", equalTo("options.counter_id"));
        given().auth().oauth2(admin(t)).contentType(ContentType.JSON)
                .body("{\"platform\": \"vk\", \"name\": \"x\", \"credentials\": {\"access_token\": \"a\"}, \"conversions\": true}").when()
                .post("/api/attribution/ad-connections").then().statusCode(400).body("errors[0].field", equalTo("conversions"));
        given().auth().oauth2(TestTokens.user(t, "analyst")).contentType(ContentType.JSON)
                .body("{\"platform\": \"meta\", \"name\": \"x\", \"credentials\": {\"access_token\": \"a\"}}").when()
                .post("/api/attribution/ad-connections").then().statusCode(403);
    }

    private static void paidDeal(String tenant, String id, String visitor, String email, Instant paidAt, String extraPayments) {
        given().auth().oauth2(admin(tenant)).contentType(ContentType.JSON).body("{\"status\": \"won\", \"amount\": 900, \"currency\": \"RUB\","
                + " \"updated_at\": \"" + Instant.now() + "\", \"contact\": {\"emails\": [\"" + email + "\"], \"visitor_id\": \"" + visitor + "\"},"
                + " \"payments\": [{\"id\": \"p1\", \"amount\": 900.50, \"paid_at\": \"" + paidAt + "\"}" + extraPayments + "]}")
                .when().put("/api/attribution/deals/crm/" + id).then().statusCode(200);
    }

    @Test
    void paidDealsGoBackToThePlatformThatDeliveredTheClickOnce() throws Exception {
        String t = "conv-a";
        try (FakeAdPlatforms fake = new FakeAdPlatforms()) {
            String google = connect(t, "{\"platform\": \"google\", \"name\": \"Google\", \"base_url\": \"" + fake.url() + "\", \"conversions\": true,"
                    + " \"credentials\": {\"access_token\": \"g\", \"developer_token\": \"dev-t\"},"
                    + " \"options\": {\"customer_id\": \"1234567890\", \"conversion_action\": \"customers/1234567890/conversionActions/55\"}}");
            connect(t, "{\"platform\": \"yandex\", \"name\": \"Metrica\", \"base_url\": \"" + fake.url() + "\", \"conversions\": true,"
                    + " \"credentials\": {\"oauth_token\": \"y\"}, \"options\": {\"counter_id\": \"4242\", \"goal\": \"paid_order\"}}");
            connect(t, "{\"platform\": \"meta\", \"name\": \"Meta\", \"base_url\": \"" + fake.url() + "\", \"conversions\": true,"
                    + " \"credentials\": {\"access_token\": \"m\"}, \"options\": {\"pixel_id\": \"1234\"}}");
            Instant paid = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            FakeTouchpoints.sessionWithClicks(t, "s-old", "v-conv-1", paid.minus(3, ChronoUnit.DAYS).toString(), Map.of("gclid", "G-OLD"));
            FakeTouchpoints.sessionWithClicks(t, "s-ad", "v-conv-1", paid.minus(1, ChronoUnit.DAYS).toString(),
                    Map.of("gclid", "G-123", "yclid", "5550001", "fbclid", "FB-9"));
            FakeTouchpoints.sessionWithClicks(t, "s-late", "v-conv-1", paid.plus(10, ChronoUnit.MINUTES).toString(), Map.of("gclid", "G-AFTER"));
            paidDeal(t, "with-click", "v-conv-1", "Buyer@Mail.ru", paid, "");
            paidDeal(t, "no-click", "v-conv-2", "walkin@mail.ru", paid, "");
            paidDeal(t, "refunded", "v-conv-3", "back@mail.ru", paid, ", {\"id\": \"r1\", \"kind\": \"refund\", \"amount\": 900.50, \"paid_at\": \"" + paid + "\"}");
            outbox.round(Instant.now().plusSeconds(1));

            List<FakeAdPlatforms.Seen> googleSent = fake.to(":uploadClickConversions");
            assertEquals(1, googleSent.size(), "only the deal with a Google click");
            JsonNode g = googleSent.get(0).json().at("/conversions/0");
            assertEquals("G-123", g.path("gclid").asText(), "the latest click before the payment");
            assertEquals("customers/1234567890/conversionActions/55", g.path("conversionAction").asText());
            assertEquals(900.5, g.path("conversionValue").asDouble());
            assertEquals("RUB", g.path("currencyCode").asText());
            assertEquals(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC).format(paid) + "+00:00",
                    g.path("conversionDateTime").asText());
            assertEquals("dev-t", googleSent.get(0).developerToken());
            FakeAdPlatforms.Seen y = fake.to("/offline_conversions/upload").get(0);
            assertEquals("client_id_type=YCLID", y.query());
            assertEquals("5550001,paid_order," + paid.getEpochSecond() + ",900.50,RUB", y.file().split("\n")[1]);
            List<FakeAdPlatforms.Seen> metaSent = fake.to("/1234/events");
            assertEquals(2, metaSent.size(), "Meta matches on hashed contacts, with or without a click");
            JsonNode withClick = metaSent.stream().map(FakeAdPlatforms.Seen::json).filter(j -> j.at("/data/0/user_data").has("fbc")).findFirst().orElseThrow();
            assertEquals(AudiencePlatform.sha256("buyer@mail.ru"), withClick.at("/data/0/user_data/em/0").asText());
            assertTrue(withClick.at("/data/0/user_data/fbc").asText().endsWith(".FB-9"));

            List<Map<String, Object>> googleRows = given().auth().oauth2(admin(t)).when().get("/api/attribution/ad-connections/" + google + "/conversions")
                    .then().statusCode(200).extract().path("items");
            assertEquals(List.of("no_click", "refunded", "sent"), googleRows.stream().map(r -> (String) r.get("status")).sorted().toList());

            fake.seen.clear();
            paidDeal(t, "with-click", "v-conv-1", "Buyer@Mail.ru", paid, ", {\"id\": \"p2\", \"amount\": 100, \"paid_at\": \"" + paid.plusSeconds(60) + "\"}");
            outbox.round(Instant.now().plusSeconds(1));
            assertTrue(fake.seen.isEmpty(), "each deal is sent once: " + fake.seen);
        }
    }
}
