package io.throughline.identity.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MergeGuardSettingsTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"info, info", "Info@, info", "' noreply ', noreply", "no-reply, no-reply", "sales.team, sales.team"})
    void normalizesMailboxNames(String raw, String expected) {
        assertEquals(Optional.of(expected), MergeGuardSettings.normalizeMailbox(raw));
    }

    @ParameterizedTest
    @CsvSource({"''", "'info@example.com'", "'two words'", "'@'", "'.hidden'"})
    void rejectsWhatIsNotAMailboxName(String raw) {
        assertTrue(MergeGuardSettings.normalizeMailbox(raw).isEmpty());
    }

    @Test
    void canonicalFormIsSortedAndUnique() {
        assertEquals(List.of("info", "sales"), MergeGuardSettings.canonical(List.of("Sales", "info@", "sales", "bad one")));
    }

    @Test
    void defaultsQuarantineAValueSharedByMoreThanThreePersons() {
        assertEquals(3, MergeGuardSettings.defaults().hubThreshold());
        assertTrue(MergeGuardSettings.defaults().roleMailboxes().contains("noreply"));
    }
}
