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
}
