package io.throughline.calltracking.api;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.throughline.calltracking.client.TrackingSites;
import io.throughline.calltracking.domain.OverflowPolicy;
import io.throughline.calltracking.domain.TrackedSite;
import io.throughline.calltracking.store.PoolEntity;
import io.throughline.calltracking.store.PoolRepository;
import io.throughline.commons.api.ProblemException;
import io.throughline.commons.id.Ids;
import io.throughline.commons.phone.PhoneCheck;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Creates and edits pools for sites that exist in tracking-service and belong to the caller's workspace. */
@ApplicationScoped
public class PoolService {

    private final PoolRepository pools;
    private final TrackingSites sites;

    public PoolService(PoolRepository pools, TrackingSites sites) {
        this.pools = pools;
        this.sites = sites;
    }

    public Uni<PoolEntity> create(String tenantId, PoolRequest request) {
        return ownSite(tenantId, request.siteKey()).chain(site -> {
            PoolEntity pool = new PoolEntity();
            pool.id = Ids.newId();
            pool.tenantId = tenantId;
            pool.siteKey = request.siteKey();
            pool.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            apply(pool, request, site);
            return Panache.withTransaction(() -> nameFree(tenantId, pool.name, pool.id).chain(() -> pools.persist(pool)));
        });
    }

    /** Replaces a pool's settings; the site stays (numbers and reservations belong to it). */
    public Uni<PoolEntity> update(String tenantId, UUID id, PoolRequest request) {
        return Panache.withSession(() -> pools.findForTenant(tenantId, id)).chain(found -> {
            if (found == null) {
                return Uni.createFrom().failure(ProblemException.notFound("Pool " + id));
            }
            if (!found.siteKey.equals(request.siteKey())) {
                return Uni.createFrom().failure(ProblemException.unprocessable("site_key", "cannot change; create another pool"));
            }
            return ownSite(tenantId, request.siteKey()).chain(site -> Panache.withTransaction(() -> pools.findForTenant(tenantId, id)
                    .chain(pool -> nameFree(tenantId, request.name().strip(), id).map(ok -> {
                        apply(pool, request, site);
                        return pool;
                    }))));
        });
    }

    private Uni<TrackedSite> ownSite(String tenantId, String siteKey) {
        return sites.byPublicKey(siteKey).map(site -> {
            // Another workspace's site reads as unknown: never reveal that it exists.
            if (site.isEmpty() || !site.get().tenantId().equals(tenantId)) {
                throw ProblemException.unprocessable("site_key", "is not a site of this workspace");
            }
            return site.get();
        });
    }

    private Uni<Void> nameFree(String tenantId, String name, UUID self) {
        return pools.count("tenantId = ?1 and name = ?2 and id <> ?3", tenantId, name, self).map(taken -> {
            if (taken > 0) {
                throw ProblemException.conflict("A pool named '" + name + "' already exists");
            }
            return null;
        });
    }

    private static void apply(PoolEntity pool, PoolRequest request, TrackedSite site) {
        pool.name = request.name().strip();
        pool.holdSeconds = request.holdSeconds() == null ? PoolRequest.DEFAULT_HOLD_SECONDS : request.holdSeconds();
        pool.overflowPolicy = (request.overflowPolicy() == null ? OverflowPolicy.DEFAULT_NUMBER
                : OverflowPolicy.fromCode(request.overflowPolicy()).orElseThrow()).code();
        pool.replaceNumbers = phones("replace_numbers", request.replaceNumbers(), site.defaultPhoneRegion()).toArray(String[]::new);
        pool.selectors = request.selectors() == null ? new String[0] : request.selectors().stream().map(String::strip).toArray(String[]::new);
        String mask = request.displayMask() == null || request.displayMask().isBlank() ? null : request.displayMask().strip();
        if (mask != null && mask.chars().filter(c -> c == 'X').count() < 6) {
            throw ProblemException.invalidField("display_mask", "needs an X for each digit of the national number");
        }
        pool.displayMask = mask;
        pool.defaultNumber = request.defaultNumber() == null || request.defaultNumber().isBlank() ? null
                : phones("default_number", List.of(request.defaultNumber()), site.defaultPhoneRegion()).get(0);
    }

    /** Phones in any usual notation, as E.164 with the site's region; the first bad one is named. */
    static List<String> phones(String field, List<String> raw, String region) {
        if (raw == null) {
            return List.of();
        }
        return raw.stream().map(String::strip).map(p -> {
            PhoneCheck.Result r = PhoneCheck.check(p, region == null || region.isBlank() ? "RU" : region);
            if (r.e164() == null) {
                throw ProblemException.invalidField(field, "'" + p + "' is not a valid phone number");
            }
            return r.e164();
        }).distinct().toList();
    }
}
