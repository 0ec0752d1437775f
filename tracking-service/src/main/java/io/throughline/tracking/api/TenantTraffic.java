package io.throughline.tracking.api;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import io.throughline.tracking.config.ShippedData;
import io.throughline.tracking.domain.ChannelClassifier;
import io.throughline.tracking.domain.ChannelRuleSet;
import io.throughline.tracking.domain.ParameterRegistry;
import io.throughline.tracking.domain.TrafficSources;
import io.throughline.tracking.store.StoreLookups;
import io.throughline.tracking.store.TenantSettingsStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Each workspace's compiled channel rules and parameter registry, cached: the collector classifies every page
 * view with them. Saved changes apply here at once and on other instances within a minute; while the store
 * is down the last compiled rules keep serving.
 */
@Singleton
public class TenantTraffic {

    private static final Logger LOG = Logger.getLogger(TenantTraffic.class);

    private final TenantSettingsStore settings;
    private final ShippedData shipped;
    private final TrafficSources defaults;
    private final AsyncLoadingCache<String, TrafficSources> byTenant;

    public TenantTraffic(TenantSettingsStore settings, ShippedData shipped) {
        this.settings = settings;
        this.shipped = shipped;
        this.defaults = new TrafficSources(shipped.parameters(), ChannelClassifier.compile(shipped.channelRules()));
        this.byTenant = Caffeine.newBuilder().maximumSize(10_000).refreshAfterWrite(Duration.ofMinutes(1))
                .expireAfterAccess(Duration.ofHours(6)).executor(StoreLookups.executor("rules-lookup")).buildAsync(this::load);
    }

    /** The workspace's compiled rules; completes at once when cached, falls back to the defaults when unreadable. */
    public CompletableFuture<TrafficSources> of(String tenantId) {
        return byTenant.get(tenantId).exceptionally(e -> {
            LOG.warnf("Channel rules of %s unavailable (%s); using the defaults", tenantId, e.getMessage());
            return defaults;
        });
    }

    public ChannelRuleSet channelRules(String tenantId) {
        return settings.find(tenantId, TenantSettingsStore.CHANNEL_RULES).map(TenantTraffic::readRules).orElse(shipped.channelRules());
    }

    public ParameterRegistry parameters(String tenantId) {
        return settings.find(tenantId, TenantSettingsStore.PARAMETERS).map(TenantTraffic::readParameters).orElse(shipped.parameters());
    }

    public void changed(String tenantId) {
        byTenant.synchronous().invalidate(tenantId);
    }

    private TrafficSources load(String tenantId) {
        return new TrafficSources(parameters(tenantId), ChannelClassifier.compile(channelRules(tenantId)));
    }

    static ChannelRuleSet readRules(String json) {
        try {
            return ShippedData.STRICT.readValue(json, ChannelRuleSet.class);
        } catch (IOException e) {
            throw new IllegalStateException("stored channel rules are unreadable", e);
        }
    }

    static ParameterRegistry readParameters(String json) {
        try {
            return ShippedData.parameters(ShippedData.STRICT.readTree(json));
        } catch (IOException e) {
            throw new IllegalStateException("stored parameter registry is unreadable", e);
        }
    }
}
