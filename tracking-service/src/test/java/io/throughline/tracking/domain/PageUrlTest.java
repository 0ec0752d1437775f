package io.throughline.tracking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PageUrlTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://Shop.RU/Catalog?x=1, shop.ru",
            "http://www.shop.ru:8080/a, www.shop.ru",
            "https://user:pw@shop.ru/, shop.ru",
            "https://пример.рф/страница, xn--e1afmkfd.xn--p1ai",
            "https://shop.ru., shop.ru",
            "https://[::1]:8080/x, [::1]"})
    void findsTheHost(String url, String host) {
        assertEquals(host, PageUrl.parse(url).orElseThrow().host());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "shop.ru/page", "javascript:alert(1)", "ftp://shop.ru/x", "android-app://com.vk/", "https://"})
    void refusesWhatIsNotAWebAddress(String url) {
        assertTrue(PageUrl.parse(url).isEmpty());
    }

    @Test
    void survivesWhatBrowsersReallySend() {
        PageUrl url = PageUrl.parse("https://shop.ru/каталог/товар 1?q=100%&utm_term=кофе|чай&empty=&flag#anchor").orElseThrow();
        assertEquals("/каталог/товар 1", url.path());
        assertEquals(Map.of("q", "100%", "utm_term", "кофе|чай", "empty", "", "flag", ""), url.query());
    }

    @Test
    void keepsAtMostSixtyFourParameters() {
        StringBuilder s = new StringBuilder("https://shop.ru/?");
        for (int i = 0; i < 100; i++) {
            s.append("p").append(i).append("=1&");
        }
        assertEquals(64, PageUrl.parse(s.toString()).orElseThrow().query().size());
    }

    @Test
    void refusesOverlongAddresses() {
        assertTrue(PageUrl.parse("https://shop.ru/?" + "a".repeat(5000)).isEmpty());
    }

    @Test
    void knowsSubdomains() {
        assertTrue(PageUrl.isWithin("www.shop.ru", "shop.ru"));
        assertTrue(PageUrl.isWithin("shop.ru", "shop.ru"));
        assertFalse(PageUrl.isWithin("myshop.ru", "shop.ru"));
        assertFalse(PageUrl.isWithin("shop.ru.evil.com", "shop.ru"));
    }
}
