package io.throughline.e2e;

import static io.restassured.RestAssured.given;

import io.throughline.devstack.StackSettings;

/** Real tokens from the real Keycloak, the way users and machines get them. */
final class Keycloak {

    static final String PASSWORD = "throughline";

    private final String tokenUrl;

    Keycloak(StackSettings settings) {
        this.tokenUrl = settings.realmUrl() + "/protocol/openid-connect/token";
    }

    /** Resource-owner password grant with the dashboard/CLI client, as a demo person logs in. */
    String login(String username) {
        return given().baseUri(tokenUrl).port(-1).formParam("grant_type", "password").formParam("client_id", "throughline-cli")
                .formParam("username", username).formParam("password", PASSWORD)
                .when().post().then().statusCode(200).extract().path("access_token");
    }

    /** Client-credentials grant of a confidential client (an ad platform, a CRM, a Throughline service). */
    String client(String clientId, String secret) {
        return given().baseUri(tokenUrl).port(-1).formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).when().post().then().statusCode(200).extract().path("access_token");
    }
}
