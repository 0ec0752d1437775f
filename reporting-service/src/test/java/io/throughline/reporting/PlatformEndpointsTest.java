package io.throughline.reporting;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.throughline.testkit.PlatformEndpointsContract;
import io.throughline.testkit.PostgresTestDatabase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestDatabase.class,
        initArgs = @ResourceArg(name = "database", value = "throughline_reporting_test"))
class PlatformEndpointsTest extends PlatformEndpointsContract {

    @Inject
    DataSource db;

    @Test
    void reportConnectionsHashTheirGroupsInMemoryWithoutJit() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            Assertions.assertEquals("64MB", value(s, "SHOW work_mem"));
            Assertions.assertEquals("off", value(s, "SHOW jit"));
        }
    }

    private static String value(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    protected String documentedPath() {
        return "/api/reporting/reports/channels";
    }
}
