package io.throughline.commons.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A query parameter holding a NUL character is refused with a 400 naming it: PostgreSQL cannot store or compare text with
 * NUL, so such a filter would otherwise end as a store error (a 500) instead of "no match" or a clear refusal.
 */
public class QueryTextGuard {

    @ServerRequestFilter
    public Response refuseNul(ContainerRequestContext request) {
        for (Map.Entry<String, List<String>> param : request.getUriInfo().getQueryParameters().entrySet()) {
            for (String value : param.getValue()) {
                if (value != null && value.indexOf('\u0000') >= 0) {
                    return ProblemException.invalidField(param.getKey(), "must not contain a NUL character").problem()
                            .withInstance(request.getUriInfo().getPath()).response().build();
                }
            }
        }
        return null;
    }
}
