package io.throughline.commons.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PublicRateLimitsTest {

    @Test
    void aSiteIsLimitedAcrossAllItsVisitorsAddresses() {
        PublicRateLimits limits = new PublicRateLimits(1, 5, 1000, 1000, 100);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, limits.waitSeconds("pk_site", "198.51.100." + i));
        }
        assertTrue(limits.waitSeconds("pk_site", "198.51.100.99") >= 1, "the sixth batch of the site waits");
        assertEquals(0, limits.waitSeconds("pk_other", "198.51.100.99"), "another site is not affected");
    }

    @Test
    void anAddressIsLimitedAcrossSites() {
        PublicRateLimits limits = new PublicRateLimits(1000, 1000, 1, 3, 100);
        assertEquals(0, limits.waitSeconds("pk_a", "203.0.113.9"));
        assertEquals(0, limits.waitSeconds("pk_b", "203.0.113.9"));
        assertEquals(0, limits.waitSeconds("pk_c", "203.0.113.9"));
        assertTrue(limits.waitSeconds("pk_d", "203.0.113.9") >= 1);
        assertEquals(0, limits.waitSeconds("pk_d", "203.0.113.10"));
    }
}
