package io.throughline.identity.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every link, on every instance, takes the key locks of the same keys as the same ids in the same order. */
class LockIdsTest {

    @Test
    void idsAreFixedDistinctAndAscendingWhateverTheKeysOrder() {
        long[] ids = GraphNodes.lockIds(List.of("acme/visitor_id:k1", "acme/email:k2", "acme/visitor_id:k1", "globex/visitor_id:k1"));
        assertEquals(3, ids.length, "one lock per distinct key; a workspace's key is not another's");
        for (int i = 1; i < ids.length; i++) {
            assertTrue(ids[i - 1] < ids[i]);
        }
        assertArrayEquals(ids, GraphNodes.lockIds(List.of("globex/visitor_id:k1", "acme/email:k2", "acme/visitor_id:k1")));
        // the first 8 bytes of SHA-256("acme/email:k2"), read big-endian: a value no JVM or release may change
        assertEquals(0x97b45d8142063f8aL, GraphNodes.lockIds(List.of("acme/email:k2"))[0]);
    }
}
