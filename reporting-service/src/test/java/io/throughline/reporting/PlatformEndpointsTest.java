package io.throughline.reporting;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.testkit.PlatformEndpointsContract;
import io.throughline.testkit.PostgresTestDatabase;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_reporting_test"))
class PlatformEndpointsTest extends PlatformEndpointsContract {

    @Override
    protected String documentedPath() {
        return "/api/reporting/reports/channels";
    }
}
