package io.throughline.attribution.crm;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Bitrix24 portal's inbound webhook REST API as the tests need it: crm.deal.get and crm.contact.get answer the
 * recorded payloads (test resources) for their ids; {@link #down} makes the portal answer 503.
 */
@Path("/test-bitrix24/rest/1/code1234")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class FakeBitrix24Portal {

    static volatile boolean down;
    static final AtomicInteger CALLS = new AtomicInteger();

    @GET
    @Path("/crm.deal.get.json")
    public Response deal(@QueryParam("id") String id) {
        return answer("4215".equals(id) ? "/crm/bitrix24-deal-get.json" : null);
    }

    @GET
    @Path("/crm.contact.get.json")
    public Response contact(@QueryParam("id") String id) {
        return answer("77".equals(id) ? "/crm/bitrix24-contact-get.json" : null);
    }

    private static Response answer(String resource) {
        CALLS.incrementAndGet();
        if (down) {
            return Response.status(503).build();
        }
        if (resource == null) {
            return Response.status(400).entity("{\"error\": \"NOT_FOUND\", \"error_description\": \"Not found\"}").build();
        }
        try (InputStream in = FakeBitrix24Portal.class.getResourceAsStream(resource)) {
            return Response.ok(new String(in.readAllBytes(), StandardCharsets.UTF_8)).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
