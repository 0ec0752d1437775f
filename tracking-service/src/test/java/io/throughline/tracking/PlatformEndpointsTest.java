package io.throughline.tracking;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.testkit.MongoWireTestStore;
import io.throughline.testkit.PlatformEndpointsContract;

@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class PlatformEndpointsTest extends PlatformEndpointsContract {

    @Override
    protected String documentedPath() {
        return "/api/tracking/sites";
    }

    @org.junit.jupiter.api.Test
    void documentsThePublicCollectorToo() {
        io.restassured.RestAssured.given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/collect")).body("paths", org.hamcrest.Matchers.hasKey("/t.js"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/tracking/channel-rules"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/tracking/sessions"));
    }
}
