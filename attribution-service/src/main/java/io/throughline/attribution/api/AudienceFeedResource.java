package io.throughline.attribution.api;

import io.throughline.attribution.domain.audiences.AudiencePlatform;
import io.throughline.attribution.store.AudienceStore;
import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.ProblemDetail;
import io.throughline.commons.id.Ids;
import io.throughline.commons.limits.PublicRateLimits;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The feed URL of an audience, for scheduled fetchers of ad platforms that cannot obtain OIDC tokens: HTTP Basic
 * with the audience's own rotatable credentials (stored as a SHA-256 of a 256-bit random secret), rate limited per
 * audience and per address. Every answer that is not the list is a problem body.
 */
@Path("/feeds/audiences")
@Tag(name = "Audience feeds", description = "Audience lists for ad platforms' scheduled fetchers (public, HTTP Basic)")
@PermitAll
public class AudienceFeedResource {

    private final AudienceStore store;
    private final AudiencePulls pulls;
    private final PublicRateLimits limits = new PublicRateLimits(2, 10, 5, 20, 100_000);

    public AudienceFeedResource(AudienceStore store, AudiencePulls pulls) {
        this.store = store;
        this.pulls = pulls;
    }

    @GET
    @Path("/{id}/{platform}.csv")
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    @Operation(summary = "The audience in the platform's format (google, meta, yandex, vk), as the export does; HTTP Basic with the feed credentials")
    public Response feed(@PathParam("id") String id, @PathParam("platform") String platform, @HeaderParam("Authorization") String authorization,
            @QueryParam("since_version") Integer sinceVersion, @QueryParam("removed") @DefaultValue("false") boolean removed,
            @QueryParam("plain") Boolean plain, @Context HttpServerRequest http) {
        long wait = limits.waitSeconds(id, http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
        if (wait > 0) {
            return ProblemDetail.rateLimited(wait).build();
        }
        Optional<String[]> credentials = basic(authorization);
        Optional<Map.Entry<AudienceStore.Audience, String>> found = credentials.flatMap(c -> store.byFeedUser(c[0]));
        if (found.isEmpty() || !matches(found.get().getValue(), credentials.get()[1])
                || !Ids.parse(id).map(found.get().getKey().id()::equals).orElse(false)) {
            return Response.status(401).header("WWW-Authenticate", "Basic realm=\"throughline-audience-feed\", charset=\"UTF-8\"")
                    .type(ProblemDetail.MEDIA_TYPE).entity(ProblemDetail.of(401, "unauthorized", "Unauthorized",
                            "The feed needs the audience's feed credentials (HTTP Basic)", List.of(new FieldError("authorization", "is missing or wrong"))))
                    .build();
        }
        if (AudiencePlatform.of(platform).isEmpty()) {
            return Response.status(404).type(ProblemDetail.MEDIA_TYPE).entity(ProblemDetail.of(404, "not-found", "Not found",
                    "No feed for platform " + platform, List.of(new FieldError("platform", "must be one of google, meta, yandex, vk")))).build();
        }
        return pulls.pull(found.get().getKey(), platform, sinceVersion, removed, plain, "feed", credentials.get()[0]);
    }

    static String hash(String secret) {
        return AudiencePlatform.sha256(secret);
    }

    private static boolean matches(String storedHash, String secret) {
        return storedHash != null && MessageDigest.isEqual(storedHash.getBytes(StandardCharsets.US_ASCII), hash(secret).getBytes(StandardCharsets.US_ASCII));
    }

    private static Optional<String[]> basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6) || header.length() > 512) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? Optional.empty() : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
