package io.throughline.attribution.processing;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.throughline.attribution.client.AdPlatforms;
import io.throughline.attribution.domain.audiences.AudiencePlatform;
import io.throughline.attribution.store.AdConnections;
import io.throughline.attribution.store.AudienceStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Pushes audience changes to the platforms' lists: for each sync whose audience has a version the platform lacks, the
 * members added or changed since the version it has are sent as additions and the removed ones as removals (the whole
 * list the first time), in batches, from one snapshot; the synced version moves only when every batch went through, so
 * a failure resends the same diff (adding or removing a member twice changes nothing on the platforms). Lists below
 * the platform's minimum are not sent; failures back off.
 */
@ApplicationScoped
public class AudienceSync {

    private static final Logger LOG = Logger.getLogger(AudienceSync.class);

    private final AdConnections connections;
    private final AudienceStore audiences;
    private final AdTargets targets;
    private final AdPlatforms platforms;
    private final MeterRegistry metrics;

    public AudienceSync(AdConnections connections, AudienceStore audiences, AdTargets targets, AdPlatforms platforms, MeterRegistry metrics) {
        this.connections = connections;
        this.audiences = audiences;
        this.targets = targets;
        this.platforms = platforms;
        this.metrics = metrics;
    }

    @Scheduled(every = "${throughline.attribution.audience-sync-interval:30s}", delayed = "20s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyRound() {
        try {
            round();
        } catch (RuntimeException e) {
            LOG.error("audience sync: the round failed", e);
        }
    }

    /** One round; returns how many syncs went through. */
    public synchronized int round() {
        int done = 0;
        for (AdConnections.Sync s : connections.dueSyncs(Instant.now(), 20)) {
            if (sync(s)) {
                done++;
            }
        }
        return done;
    }

    private boolean sync(AdConnections.Sync s) {
        Instant now = Instant.now();
        Optional<AdConnections.Connection> connection = connections.byId(s.connectionId());
        Optional<AudienceStore.Audience> audience = audiences.byId(s.audienceId());
        if (connection.isEmpty() || audience.isEmpty()) {
            return false;
        }
        AudiencePlatform platform = AudiencePlatform.of(connection.get().platform()).orElseThrow();
        String tenant = audience.get().tenantId();
        boolean consent = audiences.requiresConsent(tenant);
        long size = audiences.exportable(tenant, s.audienceId(), consent);
        if (size < platform.minimumRows()) {
            connections.syncFailed(s, "the audience has " + size + " people; " + platform.code() + " needs at least " + platform.minimumRows()
                    + " (not sent)", now.plusSeconds(3600));
            return false;
        }
        try {
            AdPlatforms.Target target = targets.open(connection.get());
            long[] sent = {0, 0};
            Integer since = s.syncedVersion() == 0 ? null : s.syncedVersion();
            int version;
            if (since == null) {
                version = send(target, s.remoteList(), false, sink -> audiences.stream(tenant, s.audienceId(), null, consent, sink), platform, sent);
            } else {
                // Removals first, then additions, both up to one version: a contact that left and came back ends up on the list.
                version = send(target, s.remoteList(), true, sink -> audiences.stream(tenant, s.audienceId(), since, null, "-", consent, sink), platform,
                        sent);
                int upTo = version;
                send(target, s.remoteList(), false, sink -> audiences.stream(tenant, s.audienceId(), since, upTo, "+", consent, sink), platform, sent);
            }
            connections.synced(s, version, sent[0], sent[1], Instant.now());
            metrics.counter("throughline_audience_sync_members_total", "platform", platform.code(), "op", "add").increment(sent[0]);
            metrics.counter("throughline_audience_sync_members_total", "platform", platform.code(), "op", "remove").increment(sent[1]);
            return true;
        } catch (AdPlatforms.Transient | AdPlatforms.Refused e) {
            connections.syncFailed(s, e.getMessage(), AdTargets.backoff(s.attempts(), now));
            return false;
        }
    }

    private interface Source {
        int stream(java.util.function.Consumer<AudienceStore.Row> sink);
    }

    /** Streams the rows into batches sent as additions or removals; returns the version the rows are as of. */
    private int send(AdPlatforms.Target target, String list, boolean remove, Source source, AudiencePlatform platform, long[] sent) {
        List<AdPlatforms.Identifiers> batch = new ArrayList<>();
        int version = source.stream(row -> {
            batch.add(identifiers(platform, row));
            if (batch.size() == AdPlatforms.BATCH) {
                platforms.members(target, list, remove, batch);
                sent[remove ? 1 : 0] += batch.size();
                batch.clear();
            }
        });
        if (!batch.isEmpty()) {
            platforms.members(target, list, remove, batch);
            sent[remove ? 1 : 0] += batch.size();
        }
        return version;
    }

    /** A member's contacts in the platform's forms, SHA-256 hashed (VK takes them plain and hashes them itself). */
    static AdPlatforms.Identifiers identifiers(AudiencePlatform platform, AudienceStore.Row row) {
        java.util.function.Function<String, String> hash = platform == AudiencePlatform.VK ? v -> v : AudiencePlatform::sha256;
        return new AdPlatforms.Identifiers(
                row.emails().stream().map(platform::email).flatMap(Optional::stream).distinct().map(hash).toList(),
                row.phones().stream().map(platform::phone).flatMap(Optional::stream).distinct().map(hash).toList());
    }
}
