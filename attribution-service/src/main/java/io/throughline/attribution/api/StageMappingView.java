package io.throughline.attribution.api;

import io.throughline.attribution.store.StageMappingEntity;

public record StageMappingView(String crm, String stage, String canonical) {

    static StageMappingView of(StageMappingEntity e) {
        return new StageMappingView(e.id.crm(), e.stageName, e.canonicalStage);
    }
}
