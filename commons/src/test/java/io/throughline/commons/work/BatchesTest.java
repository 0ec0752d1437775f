package io.throughline.commons.work;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

    @Test
    void consecutiveRunsOfOneKeyAreCutAtTheMaximum() {
        List<String> items = List.of("a1", "a2", "a3", "b1", "a4", "a5");
        assertEquals(List.of(List.of("a1", "a2"), List.of("a3"), List.of("b1"), List.of("a4", "a5")),
                Batches.consecutive(items, s -> s.charAt(0), 2));
        assertEquals(List.of(), Batches.consecutive(List.<String>of(), s -> s, 25));
    }
}
