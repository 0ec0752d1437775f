package io.throughline.identity.api;

import io.throughline.commons.api.ProblemException;
import io.throughline.commons.tenant.TenantContext;
import io.throughline.identity.domain.IdentifierType;
import io.throughline.identity.store.ComponentSplitter;
import io.throughline.identity.store.Erasures;
import io.throughline.identity.store.GraphNode;
import io.throughline.identity.store.PersonRecords;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/identity/persons/{id}")
@Tag(name = "Persons", description = "Explain, unmerge and erase persons of the identity graph")
@Produces(MediaType.APPLICATION_JSON)
public class PersonResource {

    /** What to take apart: one edge, or one identifier (it is quarantined so that it stops linking). */
    public record UnmergeRequest(Long edgeId, Long identifierId) {
    }

    private final PersonRecords persons;
    private final ComponentSplitter splitter;
    private final Erasures erasures;
    private final IdentityLinks links;
    private final TenantContext tenant;
    private final JsonWebToken token;

    public PersonResource(PersonRecords persons, ComponentSplitter splitter, Erasures erasures, IdentityLinks links,
            TenantContext tenant, JsonWebToken token) {
        this.persons = persons;
        this.splitter = splitter;
        this.erasures = erasures;
        this.links = links;
        this.tenant = tenant;
        this.token = token;
    }

    @GET
    @RolesAllowed({"admin", "analyst"})
    @Operation(summary = "A person: identifiers (e-mails and phones masked), the edges linking them with sources and times, the merge log")
    @APIResponse(responseCode = "404", description = "No such person in this workspace (or erased)")
    public PersonView get(@PathParam("id") String id) {
        String tenantId = tenant.tenantId();
        PersonRecords.Person person = canonical(tenantId, id);
        return new PersonView(person.id().toString(), id, person.createdAt(),
                person.firstPaidAt() == null ? "known" : "returning_customer", person.firstPaidAt(), person.payments(),
                persons.identifiersOf(person.id()).stream().map(n -> identifier(tenantId, n)).toList(),
                persons.edgesOf(person.id()).stream().map(e -> new PersonView.EdgeView(e.id(), e.a(), e.b(), e.source(),
                        e.eventId(), e.firstSeen(), e.lastSeen())).toList(),
                persons.log(tenantId, person.id()).stream().map(l -> new PersonView.LogView(l.at(), l.kind(),
                        l.others().stream().map(UUID::toString).toList(), l.detail())).toList());
    }

    @POST
    @Path("/unmerge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Remove an edge, or take an identifier out (quarantined), and split the person where it falls apart")
    @APIResponse(responseCode = "400", description = "Neither or both of edge_id and identifier_id")
    @APIResponse(responseCode = "404", description = "No such person, or the edge / identifier is not theirs")
    public PersonView unmerge(@PathParam("id") String id, UnmergeRequest request) {
        if (request == null || (request.edgeId() == null) == (request.identifierId() == null)) {
            throw ProblemException.badRequest("Give exactly one of edge_id and identifier_id",
                    new io.throughline.commons.api.FieldError("edge_id", "or identifier_id is required, not both"));
        }
        String tenantId = tenant.tenantId();
        UUID person = canonical(tenantId, id).id();
        boolean done = request.edgeId() != null ? splitter.unmergeEdge(tenantId, person, request.edgeId(), Instant.now())
                : splitter.unmergeIdentifier(tenantId, person, request.identifierId(), Instant.now());
        if (!done) {
            throw ProblemException.notFound(request.edgeId() != null ? "Edge " + request.edgeId() : "Identifier " + request.identifierId());
        }
        return get(person.toString());
    }

    @DELETE
    @RolesAllowed("admin")
    @Operation(summary = "Erase the person (GDPR Art. 17 / 152-FZ); the services holding their data confirm through the erasure feed")
    @APIResponse(responseCode = "202", description = "Erasure started; follow Location for its status per service")
    public Response erase(@PathParam("id") String id) {
        String tenantId = tenant.tenantId();
        UUID person = canonical(tenantId, id).id();
        UUID erasure = erasures.erase(tenantId, person, String.valueOf(token.getName()), links.keys(), Instant.now());
        return Response.accepted(Map.of("erasure_id", erasure.toString()))
                .location(URI.create("/api/identity/erasures/" + erasure)).build();
    }

    private PersonRecords.Person canonical(String tenantId, String id) {
        return io.throughline.commons.id.Ids.parse(id).flatMap(uuid -> persons.canonical(tenantId, uuid))
                .orElseThrow(() -> ProblemException.notFound("Person " + id));
    }

    private PersonView.IdentifierView identifier(String tenantId, GraphNode n) {
        String value = n.sealed() != null ? mask(n.type(), links.keys().decrypt(tenantId, n.sealed())) : n.value();
        return new PersonView.IdentifierView(n.id(), n.type().code(), n.matchKey(), value, n.quarantined(), n.firstSeen(), n.lastSeen());
    }

    /** Enough to recognize a contact on screen, not enough to copy it: i***@gmail.com, +7912***6789. */
    static String mask(IdentifierType type, String value) {
        if (type == IdentifierType.EMAIL) {
            int at = value.indexOf('@');
            return value.charAt(0) + "***" + value.substring(at);
        }
        return value.length() <= 7 ? "***" : value.substring(0, 5) + "***" + value.substring(value.length() - 4);
    }
}
