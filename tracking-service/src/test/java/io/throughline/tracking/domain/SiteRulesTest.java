package io.throughline.tracking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SiteRulesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "shop.ru, shop.ru",
            "https://Shop.RU/catalog?x=1, shop.ru",
            "http://www.shop.ru:8080, www.shop.ru",
            "shop.ru., shop.ru",
            "пример.рф, xn--e1afmkfd.xn--p1ai",
            "sub.domain.co.uk, sub.domain.co.uk",
            "localhost, localhost"})
    void normalizesWhatSiteOwnersType(String raw, String expected) {
        assertEquals(Optional.of(expected), SiteRules.normalizeDomain(raw));
    }

    @ParameterizedTest
    @CsvSource({"not a host", "'', ", "-shop.ru", "shop", "sh_op.ru", "http://"})
    void rejectsWhatIsNotAHost(String raw) {
        assertTrue(SiteRules.normalizeDomain(raw).isEmpty());
    }

    @Test
    void deduplicatesDomainsKeepingOrder() {
        assertEquals(List.of("b.ru", "a.ru"), SiteRules.normalizeDomains(List.of("B.ru", "a.ru", "https://b.ru/")));
    }

    @Test
    void knowsIsoRegions() {
        assertTrue(SiteRules.isRegion("RU"));
        assertTrue(SiteRules.isRegion("KZ"));
        assertFalse(SiteRules.isRegion("ZZ"));
        assertFalse(SiteRules.isRegion(null));
    }

    @Test
    void publicKeysAreDistinctAndPrefixed() {
        String a = SiteRules.newPublicKey();
        assertTrue(a.matches("pk_[a-z2-9]{20}"));
        assertNotEquals(a, SiteRules.newPublicKey());
    }
}
