package io.throughline.attribution.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StageNamesTest {

    @ParameterizedTest(name = "''{0}'' and ''{1}'' are one stage")
    @CsvSource({
            "Оплачено, ' ОПЛАЧЕНО '",
            "Счёт выставлен, счет   выставлен",
            "Closed Won, closed won",
            "'Переговоры\tи КП', переговоры и кп"})
    void sameStageSpelledDifferentlyHasOneKey(String a, String b) {
        assertEquals(StageNames.key(a), StageNames.key(b));
    }

    @Test
    void canonicalStagesRoundTripTheirCodes() {
        for (FunnelStage stage : FunnelStage.values()) {
            assertEquals(stage, FunnelStage.fromCode(stage.code()).orElseThrow());
        }
        assertTrue(FunnelStage.fromCode("cashed").isEmpty());
    }
}
