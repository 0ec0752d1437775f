package io.throughline.tracking.api;

import static io.restassured.RestAssured.given;
import static io.throughline.tracking.TrackingFixtures.batch;
import static io.throughline.tracking.TrackingFixtures.id;
import static io.throughline.tracking.TrackingFixtures.pageview;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.tracking.TrackingFixtures;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The collector's own listener: the public paths only, the client address from trusted proxies only. */
@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class CollectorServerTest {

    @Inject
    CollectorServer server;

    @Inject
    MongoClient mongo;

    @Test
    void servesTheCollectorAndTheSnippetAndNothingElse() {
        var site = TrackingFixtures.site("listener", "shop.example.ru");
        String visitor = "visitor-" + id();
        given().port(server.port()).contentType("text/plain").header("Origin", "https://shop.example.ru")
                .header("User-Agent", TrackingFixtures.BROWSER).header("X-Forwarded-For", "203.0.113.77")
                .body(batch(site.key(), visitor, pageview(id(), "https://shop.example.ru/", null)))
                .when().post("/collect").then().statusCode(200).body("accepted", equalTo(1));
        assertEquals("203.0.113.0", mongo.getDatabase("throughline_tracking").getCollection("hits")
                .find(Filters.eq("visitor_id", visitor)).first().getString("ip_prefix"), "the gateway's X-Forwarded-For is believed");
        given().port(server.port()).when().get("/t.js").then().statusCode(200).body(containsString("__throughline"));
        given().port(server.port()).when().get("/api/tracking/sites").then().statusCode(404).contentType("application/problem+json");
        given().port(server.port()).when().get("/q/health").then().statusCode(404);
    }

    @Test
    void believesForwardedAddressesOnlyFromTrustedNetworks() {
        TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "::1/128", "192.168.1.7"));
        assertTrue(proxies.trusted("10.42.7.1"));
        assertTrue(proxies.trusted("0:0:0:0:0:0:0:1"));
        assertTrue(proxies.trusted("192.168.1.7"));
        assertFalse(proxies.trusted("192.168.1.8"));
        assertFalse(proxies.trusted("11.0.0.1"));
        assertFalse(proxies.trusted("example.com"), "host names are never looked up");
    }
}
