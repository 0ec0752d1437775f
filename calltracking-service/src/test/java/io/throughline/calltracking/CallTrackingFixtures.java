package io.throughline.calltracking;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.throughline.testkit.TestTokens;
import java.util.List;
import java.util.stream.Collectors;

/** Pools and numbers set up through the admin API, as a workspace admin would. */
public final class CallTrackingFixtures {

    private CallTrackingFixtures() {
    }

    /** Creates a pool on the site with the given numbers; returns the pool id. */
    public static String pool(String tenant, String siteKey, String settingsJson, List<String> numbers) {
        String body = "{\"name\": \"Pool " + siteKey + "\", \"site_key\": \"" + siteKey + "\"" + (settingsJson.isBlank() ? "" : ", " + settingsJson) + "}";
        String id = given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON).body(body)
                .when().post("/api/calltracking/pools").then().statusCode(201).extract().path("id");
        if (!numbers.isEmpty()) {
            given().auth().oauth2(TestTokens.user(tenant, "admin")).contentType(ContentType.JSON)
                    .body("{\"numbers\": [" + numbers.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", ")) + "]}")
                    .when().post("/api/calltracking/pools/" + id + "/numbers").then().statusCode(201);
        }
        return id;
    }

    /** Distinct valid Moscow numbers for a test: +7 495 2{block}{nn}-{i}. */
    public static List<String> numbers(int block, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> String.format("+7495%03d%04d", 200 + block, 3100 + i * 7)).toList();
    }
}
