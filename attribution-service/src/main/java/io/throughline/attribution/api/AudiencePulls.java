package io.throughline.attribution.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.throughline.attribution.domain.audiences.AudiencePlatform;
import io.throughline.attribution.store.AudienceStore;
import io.throughline.commons.api.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One pull of an audience in a platform's format, whoever asks (a service account's token or a feed's own
 * credentials): checks the platform and the list's minimum size, streams the rows from one snapshot, and logs the
 * pull with the version and the rows sent. A refused pull is logged too.
 */
@ApplicationScoped
public class AudiencePulls {

    private final AudienceStore store;
    private final MeterRegistry metrics;
    private final int minimumOverride;

    public AudiencePulls(AudienceStore store, MeterRegistry metrics,
            @ConfigProperty(name = "throughline.attribution.audiences.minimum-rows", defaultValue = "0") int minimumOverride) {
        this.store = store;
        this.metrics = metrics;
        this.minimumOverride = minimumOverride;
    }

    Response pull(AudienceStore.Audience audience, String platformCode, Integer sinceVersion, boolean removed, Boolean plain, String via, String who) {
        AudiencePlatform platform = AudiencePlatform.of(platformCode)
                .orElseThrow(() -> ProblemException.invalidField("platform", "must be one of google, meta, yandex, vk"));
        if (sinceVersion != null && (sinceVersion < 0 || sinceVersion > audience.version())) {
            throw ProblemException.invalidField("since_version", "must be between 0 and the current version " + audience.version());
        }
        if (removed && sinceVersion == null) {
            throw ProblemException.invalidField("removed", "needs since_version (the removals since that version)");
        }
        boolean hashed = plain == null ? platform.hashedByDefault() : !plain;
        if (!hashed && !platform.plainAllowed()) {
            throw ProblemException.invalidField("plain", platform.code() + " takes SHA-256 hashed values only");
        }
        boolean consent = store.requiresConsent(audience.tenantId());
        long members = store.exportable(audience.tenantId(), audience.id(), consent);
        int minimum = Math.max(platform.minimumRows(), minimumOverride);
        if (members < minimum) {
            String message = "the audience has " + members + (consent ? " people with consent for advertising" : " people") + "; " + platform.code()
                    + " needs at least " + minimum + " (a smaller list is not sent)";
            store.logPull(audience.id(), Instant.now(), via, who, platform.code(), audience.version(), sinceVersion, 0, message);
            metrics.counter("throughline_audience_pulls_total", "platform", platform.code(), "outcome", "too_small").increment();
            throw ProblemException.unprocessable("platform", message);
        }
        StreamingOutput body = output -> {
            var writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 1 << 16);
            long[] rows = {0};
            int version;
            try (AudienceExport export = new AudienceExport(platform, hashed, writer)) {
                version = store.stream(audience.tenantId(), audience.id(), sinceVersion, consent, row -> {
                    if (sinceVersion == null || row.op().equals(removed ? "-" : "+")) {
                        export.write(row);
                    }
                });
                rows[0] = export.rows();
            }
            writer.flush();
            store.logPull(audience.id(), Instant.now(), via, who, platform.code(), version, sinceVersion, rows[0], null);
            metrics.counter("throughline_audience_pulls_total", "platform", platform.code(), "outcome", "sent").increment();
        };
        String file = audience.id() + "-" + platform.code() + (sinceVersion == null ? "" : "-since-" + sinceVersion + (removed ? "-removed" : "")) + ".csv";
        return Response.ok(body, "text/csv; charset=UTF-8").header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                .header("X-Audience-Version", audience.version()).header("X-Audience-Size", members).build();
    }
}
