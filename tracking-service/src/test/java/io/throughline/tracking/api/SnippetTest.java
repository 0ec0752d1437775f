package io.throughline.tracking.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.testkit.MongoWireTestStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(MongoWireTestStore.class)
class SnippetTest {

    @Inject
    SnippetRoute snippet;

    @Test
    void theSnippetIsUnderSixKilobytesGzipped() {
        int size = snippet.gzippedScript().length;
        assertTrue(size < 6 * 1024, "t.js is " + size + " bytes gzipped");
    }

    @Test
    void isServedCompressedCacheableAndRevalidatable() {
        String etag = given().header("Accept-Encoding", "gzip").when().get("/t.js").then().statusCode(200)
                .header("Content-Type", containsString("application/javascript")).header("Content-Encoding", "gzip")
                .header("Cache-Control", "public, max-age=3600").header("X-Content-Type-Options", "nosniff")
                .body(containsString("__throughline")).extract().header("ETag");
        given().header("If-None-Match", etag).when().get("/t.js").then().statusCode(304);
    }

    @Test
    void servesNoCommentsToBrowsers() {
        String body = given().header("Accept-Encoding", "identity").when().get("/t.js").then().statusCode(200).extract().asString();
        assertTrue(body.lines().noneMatch(l -> l.startsWith("//")));
        given().when().post("/t.js").then().statusCode(405).header("Allow", equalTo("GET, HEAD"));
    }
}
