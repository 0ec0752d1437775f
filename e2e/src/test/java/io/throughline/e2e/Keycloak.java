package io.throughline.e2e;

import static io.restassured.RestAssured.given;

import io.throughline.devstack.StackSettings;

/** Real tokens from the real Keycloak, the way users and machines get them. */
final class Keycloak {

    static final String PASSWORD = "throughline";

    private final String tokenUrl;
    private final String baseUrl;

    Keycloak(StackSettings settings) {
        this.tokenUrl = settings.realmUrl() + "/protocol/openid-connect/token";
        this.baseUrl = settings.keycloakUrl();
    }

    /** A token of Keycloak's own administrator (the master realm), for the admin REST API. */
    String administrator() {
        return given().baseUri(baseUrl + "/realms/master/protocol/openid-connect/token").port(-1).formParam("grant_type", "password")
                .formParam("client_id", "admin-cli").formParam("username", "admin")
                .formParam("password", System.getProperty("throughline.keycloak.admin-password", "admin"))
                .when().post().then().statusCode(200).extract().path("access_token");
    }

    /** The realm's access token lifespan in seconds. */
    int accessTokenLifespan() {
        return given().baseUri(baseUrl + "/admin/realms/throughline").port(-1).auth().oauth2(administrator()).when().get().then().statusCode(200)
                .extract().path("accessTokenLifespan");
    }

    void accessTokenLifespan(int seconds) {
        given().baseUri(baseUrl + "/admin/realms/throughline").port(-1).auth().oauth2(administrator()).contentType("application/json")
                .body("{\"accessTokenLifespan\": " + seconds + "}").when().put().then().statusCode(204);
    }

    /** Ends every session of the user (as an administrator revoking access, or an idle session timing out). */
    void endSessions(String username) {
        String admin = administrator();
        String id = given().baseUri(baseUrl + "/admin/realms/throughline/users").port(-1).auth().oauth2(admin).queryParam("username", username)
                .queryParam("exact", true).when().get().then().statusCode(200).extract().path("[0].id");
        given().baseUri(baseUrl + "/admin/realms/throughline/users/" + id + "/logout").port(-1).auth().oauth2(admin).when().post().then()
                .statusCode(204);
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
