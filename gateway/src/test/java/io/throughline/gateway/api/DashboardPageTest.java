package io.throughline.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.gateway.FakeServices;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's page is public (it signs in by itself, with PKCE) and says where: the realm's base URL, realm and
 * public client, derived from the realm URL the gateway verifies tokens with; the page and its bundle are never framed.
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class DashboardPageTest {

    @Test
    void thePageIsServedAtTheRootWithItsBundleAndWithoutAToken() {
        String page = given().when().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .header("Content-Security-Policy", containsString("connect-src 'self' http://localhost:8180;"))
                .body(containsString("<title>Throughline</title>")).body(not(containsString("{#bundle")))
                .extract().asString();
        String script = page.replaceAll("(?s).*<script[^>]+src=\"([^\"]+)\".*", "$1");
        given().when().get("/favicon.svg").then().statusCode(200).contentType(containsString("svg"));
        given().when().get(script).then().statusCode(200).contentType(containsString("javascript")).header("X-Frame-Options", "DENY")
                .body(containsString("kc-callback"));
        given().header("Accept-Encoding", "gzip").when().get(script).then().statusCode(200).header("Content-Encoding", equalTo("gzip"));
    }

    @Test
    void theSignInConfigurationNamesTheRealmAndThePublicClient() {
        given().when().get("/dashboard/config.json").then().statusCode(200).header("Cache-Control", "no-store")
                .body("authServerUrl", matchesPattern("https?://[^/]+(/.*)?")).body("authServerUrl", not(containsString("/realms/")))
                .body("realm", equalTo("throughline")).body("clientId", equalTo("throughline-cli"));
    }
}
