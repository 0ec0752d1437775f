package io.throughline.attribution.api;

import io.throughline.attribution.domain.audiences.AudienceRule;
import io.throughline.attribution.processing.AudienceRecompute;
import io.throughline.attribution.store.AudienceMembership;
import io.throughline.attribution.store.AudienceStore;
import io.throughline.commons.api.FieldError;
import io.throughline.commons.api.Page;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.phone.PhoneCheck;
import io.throughline.commons.tenant.TenantContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.StringReader;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Exclusion audiences: definitions, uploaded lists, versions with their diffs, consent, exports in each ad
 * platform's format, feed credentials and the log of pulls.
 */
@Path("/api/attribution/audiences")
@Tag(name = "Audiences", description = "Exclusion audiences (people who already bought, employees, competitors) for ad platforms")
@Produces(MediaType.APPLICATION_JSON)
public class AudienceResource {

    static final int MAX_LIST_ROWS = 200_000;
    private static final int MAX_AUDIENCES = 200;
    private static final int MAX_CONSENTS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AudienceStore store;
    private final AudienceMembership membership;
    private final AudienceRecompute recompute;
    private final AudiencePulls pulls;
    private final TenantContext tenant;
    private final JsonWebToken token;
    private final String publicBaseUrl;

    public AudienceResource(AudienceStore store, AudienceMembership membership, AudienceRecompute recompute, AudiencePulls pulls, TenantContext tenant, JsonWebToken token,
            @ConfigProperty(name = "throughline.attribution.public-base-url") java.util.Optional<String> publicBaseUrl) {
        this.store = store;
        this.membership = membership;
        this.recompute = recompute;
        this.pulls = pulls;
        this.tenant = tenant;
        this.token = token;
        this.publicBaseUrl = publicBaseUrl.orElse("");
    }

    public record Settings(Boolean requireConsent) {
    }

    public record Consent(String email, String phone, Boolean granted) {
    }

    public record Consents(List<Consent> consents, String region) {
    }

    public record ListSummary(int rowsRead, int accepted, List<Rejected> rejected, int version, int added, int removed, int size) {
    }

    public record Rejected(long line, String reason) {
    }

    public record FeedCredentials(String user, String secret, String url) {
    }

    @GET
    @RolesAllowed({"admin", "analyst", "audience-reader"})
    @Operation(summary = "The workspace's audiences with their current version and size")
    public Page<AudienceView> list() {
        return new Page<>(store.list(tenant.tenantId()).stream().map(AudienceView::of).toList(), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Define an audience; its members are computed by the next round (seconds)")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "An invalid field (named in the problem)")
    @APIResponse(responseCode = "409", description = "The name is taken")
    public Response create(AudienceRequest body) {
        AudienceRule rule = required(body).rule();
        String tenantId = tenant.tenantId();
        checkParts(tenantId, null, rule);
        List<AudienceStore.Audience> existing = store.list(tenantId);
        if (existing.size() >= MAX_AUDIENCES) {
            throw ProblemException.conflict("a workspace has at most " + MAX_AUDIENCES + " audiences");
        }
        if (existing.stream().anyMatch(a -> a.name().equals(body.name()))) {
            throw ProblemException.conflict("an audience named \"" + body.name() + "\" exists");
        }
        AudienceStore.Audience created = store.create(tenantId, body.name(), rule, now());
        return Response.status(201).entity(AudienceView.of(created)).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({"admin", "analyst", "audience-reader"})
    @Operation(summary = "One audience")
    public AudienceView get(@PathParam("id") String id) {
        return AudienceView.of(audience(id));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Change an audience's name or definition (its kind stays); members follow within seconds, as a new version")
    @APIResponse(responseCode = "400", description = "An invalid field, or a different kind")
    public AudienceView update(@PathParam("id") String id, AudienceRequest body) {
        AudienceStore.Audience current = audience(id);
        AudienceRule rule = required(body).rule();
        if (!rule.kind().equals(current.rule().kind())) {
            throw ProblemException.invalidField("kind", "stays " + current.rule().kind() + " (define a new audience instead)");
        }
        checkParts(current.tenantId(), current.id(), rule);
        if (store.list(current.tenantId()).stream().anyMatch(a -> a.name().equals(body.name()) && !a.id().equals(current.id()))) {
            throw ProblemException.conflict("an audience named \"" + body.name() + "\" exists");
        }
        return AudienceView.of(store.update(current.tenantId(), current.id(), body.name(), rule, now()).orElseThrow());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("admin")
    @Operation(summary = "Delete an audience (refused while a combination uses it)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "A combination uses it")
    public Response delete(@PathParam("id") String id) {
        AudienceStore.Audience a = audience(id);
        List<AudienceStore.Audience> users = store.usedBy(a.tenantId(), a.id());
        if (!users.isEmpty()) {
            throw ProblemException.conflict("the combination \"" + users.get(0).name() + "\" uses this audience");
        }
        store.delete(a.tenantId(), a.id());
        return Response.noContent().build();
    }

    @PUT
    @Path("/{id}/entries")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @RolesAllowed("admin")
    @Operation(summary = "Replace an uploaded list: CSV with a header naming email and/or phone columns (one contact per cell); "
            + "phones without a country code are read in `region` (default RU). Bad rows are reported by line; the rest is applied as one version")
    @APIResponse(responseCode = "400", description = "No email or phone column, or too many rows")
    public ListSummary replaceEntries(@PathParam("id") String id, String csv, @QueryParam("region") @DefaultValue("RU") String region) {
        AudienceStore.Audience a = audience(id);
        if (!(a.rule() instanceof AudienceRule.Uploaded)) {
            throw ProblemException.invalidField("id", "is a " + a.rule().kind() + " audience; only uploaded lists take entries");
        }
        if (!region.matches("[A-Z]{2}")) {
            throw ProblemException.invalidField("region", "is an ISO 3166 two-letter region such as RU");
        }
        Map<String, AudienceStore.Member> members = new LinkedHashMap<>();
        List<Rejected> rejected = new ArrayList<>();
        int rows = 0;
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv == null ? "" : csv.startsWith("\uFEFF") ? csv.substring(1) : csv), format)) {
            Map<String, Integer> header = new LinkedHashMap<>();
            parser.getHeaderMap().forEach((k, v) -> header.put(k.strip().toLowerCase(Locale.ROOT), v));
            Integer emailColumn = header.get("email");
            Integer phoneColumn = header.get("phone");
            if (emailColumn == null && phoneColumn == null) {
                throw ProblemException.invalidField("body", "needs a header with an email and/or a phone column");
            }
            for (CSVRecord r : parser) {
                if (++rows > MAX_LIST_ROWS) {
                    throw ProblemException.invalidField("body", "has more than " + MAX_LIST_ROWS + " rows");
                }
                long line = parser.getCurrentLineNumber();
                String email = emailColumn != null && emailColumn < r.size() ? r.get(emailColumn).strip() : "";
                String phone = phoneColumn != null && phoneColumn < r.size() ? r.get(phoneColumn).strip() : "";
                if (email.isEmpty() && phone.isEmpty()) {
                    rejected.add(new Rejected(line, "no e-mail and no phone"));
                    continue;
                }
                if (!email.isEmpty()) {
                    String e = email(email);
                    if (e == null) {
                        rejected.add(new Rejected(line, "email: not an e-mail address"));
                    } else {
                        members.putIfAbsent("c:e:" + e, new AudienceStore.Member("c:e:" + e, List.of(e), List.of(), null));
                    }
                }
                if (!phone.isEmpty()) {
                    PhoneCheck.Result p = PhoneCheck.check(phone, region);
                    if (!p.valid()) {
                        rejected.add(new Rejected(line, "phone: " + p.problem().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
                    } else {
                        members.putIfAbsent("c:p:" + p.e164(), new AudienceStore.Member("c:p:" + p.e164(), List.of(), List.of(p.e164()), null));
                    }
                }
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            throw ProblemException.badRequest("The CSV could not be read: " + e.getMessage(), new FieldError("body", "is not readable CSV"));
        }
        AudienceMembership.Applied applied = membership.replaceList(a.id(), List.copyOf(members.values()), "list uploaded", now());
        recompute.combinations(a.tenantId());
        return new ListSummary(rows, members.size(), rejected.size() > 1000 ? rejected.subList(0, 1000) : rejected, applied.version(), applied.added(),
                applied.removed(), applied.size());
    }

    @GET
    @Path("/{id}/versions")
    @RolesAllowed({"admin", "analyst", "audience-reader"})
    @Operation(summary = "The audience's versions, newest first: when, why, how many members each added and removed")
    public Page<AudienceStore.Version> versions(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("100") int limit) {
        return new Page<>(store.versions(audience(id).id(), Math.max(1, Math.min(limit, 1000))), null);
    }

    @GET
    @Path("/{id}/members")
    @RolesAllowed("admin")
    @Operation(summary = "The current members (a person or an uploaded contact) with the e-mails and phones exported for each, in key order")
    public Page<AudienceStore.Member> members(@PathParam("id") String id, @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int n = Page.limit(limit);
        String after = Page.after(cursor);
        return Page.of(store.members(audience(id).id(), after, n), n, AudienceStore.Member::key, m -> m);
    }

    @GET
    @Path("/{id}/export")
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    @RolesAllowed({"admin", "audience-reader"})
    @Operation(summary = "The audience in an ad platform's customer-list format (streamed CSV): google, meta, yandex or vk. With since_version, "
            + "the members added or changed since that version (removed=true: the ones removed). Refused below the platform's minimum size")
    @APIResponse(responseCode = "422", description = "The list is smaller than the platform accepts")
    public Response export(@PathParam("id") String id, @QueryParam("platform") String platform, @QueryParam("since_version") Integer sinceVersion,
            @QueryParam("removed") @DefaultValue("false") boolean removed, @QueryParam("plain") Boolean plain) {
        String who = token.getClaim("azp") != null ? token.<Object>getClaim("azp").toString() : token.getName();
        return pulls.pull(audience(id), platform, sinceVersion, removed, plain, "token", who == null ? "unknown" : who);
    }

    @POST
    @Path("/{id}/feed-credentials")
    @RolesAllowed("admin")
    @Operation(summary = "New HTTP Basic credentials for the audience's feed URL (for fetchers that cannot obtain tokens); the old ones stop "
            + "working. The secret is shown once and stored only hashed")
    public FeedCredentials rotateFeed(@PathParam("id") String id) {
        AudienceStore.Audience a = audience(id);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String user = "aud-" + a.id().toString().substring(0, 8) + "-" + Long.toHexString(RANDOM.nextLong() & 0xffffffffL);
        String plain = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        store.feedCredentials(a.id(), user, AudienceFeedResource.hash(plain));
        return new FeedCredentials(user, plain, publicBaseUrl + "/feeds/audiences/" + a.id() + "/{platform}.csv");
    }

    @GET
    @Path("/{id}/pulls")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "Every pull of the audience, newest first: who, when, which version, how many rows (and refusals)")
    public Page<AudienceStore.Pull> pullLog(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("100") int limit) {
        return new Page<>(store.pulls(audience(id).id(), Math.max(1, Math.min(limit, 1000))), null);
    }

    @GET
    @Path("/settings")
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "Whether exports hold only people with consent for advertising use")
    public Settings settings() {
        return new Settings(store.requiresConsent(tenant.tenantId()));
    }

    @PUT
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Require consent for advertising use in every export (or not)")
    public Settings putSettings(Settings body) {
        if (body == null || body.requireConsent() == null) {
            throw ProblemException.invalidField("require_consent", "is required");
        }
        boolean before = store.requiresConsent(tenant.tenantId());
        store.requireConsent(tenant.tenantId(), body.requireConsent(), now());
        if (before != body.requireConsent()) {
            // every member's exportability may have changed: the next version says so, for diffs and pushes
            membership.consentChanged(tenant.tenantId(), null, body.requireConsent(), now());
        }
        return body;
    }

    @PUT
    @Path("/consents")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"admin", "ingest"})
    @Operation(summary = "Record consent for advertising use (granted or withdrawn) per e-mail or phone; a withdrawal wins over a grant")
    public Map<String, Integer> consents(Consents body) {
        if (body == null || body.consents() == null || body.consents().isEmpty() || body.consents().size() > MAX_CONSENTS) {
            throw ProblemException.invalidField("consents", "must list 1 to " + MAX_CONSENTS + " consents");
        }
        String region = body.region() == null ? "RU" : body.region();
        Map<String, Boolean> contacts = new LinkedHashMap<>();
        for (int i = 0; i < body.consents().size(); i++) {
            Consent c = body.consents().get(i);
            if (c == null || c.granted() == null) {
                throw ProblemException.invalidField("consents[" + i + "].granted", "is required");
            }
            if (c.email() != null && !c.email().isBlank()) {
                String e = email(c.email());
                if (e == null) {
                    throw ProblemException.invalidField("consents[" + i + "].email", "is not an e-mail address");
                }
                contacts.put(e, c.granted());
            }
            if (c.phone() != null && !c.phone().isBlank()) {
                PhoneCheck.Result p = PhoneCheck.check(c.phone(), region);
                if (!p.valid()) {
                    throw ProblemException.invalidField("consents[" + i + "].phone", "is not a valid phone number");
                }
                contacts.put(p.e164(), c.granted());
            }
            if ((c.email() == null || c.email().isBlank()) && (c.phone() == null || c.phone().isBlank())) {
                throw ProblemException.invalidField("consents[" + i + "]", "needs an email or a phone");
            }
        }
        int recorded = store.consents(tenant.tenantId(), contacts, now());
        if (store.requiresConsent(tenant.tenantId())) {
            membership.consentChanged(tenant.tenantId(), contacts.keySet().toArray(String[]::new), true, now());
        }
        return Map.of("recorded", recorded);
    }

    /** An e-mail trimmed and lower-cased, or null when it is not one. */
    static String email(String raw) {
        String e = raw.strip().toLowerCase(Locale.ROOT);
        return e.length() <= 254 && e.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+") ? e : null;
    }

    private void checkParts(String tenantId, UUID self, AudienceRule rule) {
        if (!(rule instanceof AudienceRule.Combined c)) {
            return;
        }
        List<UUID> parts = new ArrayList<>(c.include());
        parts.addAll(c.exclude());
        for (int i = 0; i < parts.size(); i++) {
            UUID part = parts.get(i);
            String field = i < c.include().size() ? "include[" + i + "]" : "exclude[" + (i - c.include().size()) + "]";
            AudienceStore.Audience a = store.find(tenantId, part).orElseThrow(() -> ProblemException.invalidField(field, "is not an audience of this workspace"));
            if (a.rule() instanceof AudienceRule.Combined || part.equals(self)) {
                throw ProblemException.invalidField(field, "is a combination (combinations combine person audiences and lists only)");
            }
        }
        if (c.include().stream().anyMatch(c.exclude()::contains)) {
            throw ProblemException.invalidField("exclude", "names an audience that include names too");
        }
    }

    private AudienceStore.Audience audience(String id) {
        return Ids.parse(id).flatMap(uuid -> store.find(tenant.tenantId(), uuid)).orElseThrow(() -> ProblemException.notFound("audience"));
    }

    private static AudienceRequest required(AudienceRequest body) {
        if (body == null) {
            throw ProblemException.invalidField("body", "is required");
        }
        return body;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
