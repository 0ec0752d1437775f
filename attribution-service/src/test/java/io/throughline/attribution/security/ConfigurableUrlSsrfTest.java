package io.throughline.attribution.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.throughline.testkit.PostgresTestDatabase;
import io.throughline.testkit.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OWASP API7 (server-side request forgery): every address an admin configures and the service then calls (an ad
 * platform connection's base URL, a Bitrix24 portal's REST address) is refused with a 400 naming the field when it
 * points at loopback, private, link-local (cloud metadata), carrier-grade NAT or unspecified addresses, or is not
 * https, as long as the operator has not allowed private networks (the other tests allow them for their fakes).
 */
@QuarkusTest
@TestProfile(ConfigurableUrlSsrfTest.PrivateNetworksRefused.class)
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_attribution_test"))
class ConfigurableUrlSsrfTest {

    public static class PrivateNetworksRefused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("throughline.attribution.connections.allow-private-networks", "false");
        }
    }

    private static final List<String> INSIDE = List.of("https://127.0.0.1", "https://localhost", "https://10.0.0.8", "https://172.16.5.4",
            "https://192.168.1.1", "https://169.254.169.254", "https://100.64.0.1", "https://0.0.0.0", "https://[::1]", "https://[fd00::1]",
            "http://example.com", "https://user:password@example.com");

    @Test
    void adConnectionBaseUrlsCannotPointInside() {
        for (String base : INSIDE) {
            given().auth().oauth2(TestTokens.user("ssrf-a", "admin")).contentType(ContentType.JSON)
                    .body("{\"platform\": \"meta\", \"name\": \"Meta\", \"base_url\": \"" + base + "/\", \"credentials\": {\"access_token\": \"t\"}}")
                    .when().post("/api/attribution/ad-connections").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("base_url"));
        }
    }

    @Test
    void bitrix24RestAddressesCannotPointInside() {
        for (String base : INSIDE) {
            given().auth().oauth2(TestTokens.user("ssrf-b", "admin")).contentType(ContentType.JSON)
                    .body("{\"name\": \"Bitrix24 " + base.hashCode() + "\", \"format\": \"bitrix24\", \"secret\": \"0123456789abcdef\", \"rest_url\": \""
                            + base + "/rest/1/abcd1234/\"}")
                    .when().post("/api/attribution/integrations").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("rest_url"));
        }
    }
}
