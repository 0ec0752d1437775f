package io.throughline.tracking.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.throughline.tracking.config.ShippedData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped registry and channel rules on landing URLs and referrers as they arrive from real ad platforms. */
class TrafficSourcesTest {

    private static final ShippedData DATA = new ShippedData();
    private static final TrafficSources SOURCES = new TrafficSources(DATA.parameters(), ChannelClassifier.compile(DATA.channelRules()));
    private static final List<String> SITE = List.of("school.example.ru", "pay-school.ru");

    private static TrafficSource analyze(String url, String referrer) {
        return SOURCES.analyze(PageUrl.parse(url).orElseThrow(), referrer, SITE);
    }

    @ParameterizedTest(name = "{0} from [{1}] -> {2} ({3} / {4})")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            https://school.example.ru/?utm_source=yandex&utm_medium=cpc&utm_campaign=brand&yclid=7243619231| https://yandex.ru/ | paid_search | yandex | cpc
            https://school.example.ru/?utm_source=google&utm_medium=cpc&utm_campaign=pmax_ru&gclid=Cj0KCQiA | - | paid_search | google | cpc
            https://school.example.ru/?gclid=EAIaIQobChMI8|https://www.google.com/| paid_search | google | cpc
            https://school.example.ru/?yclid=4356789012345|https://yandex.ru/search/?text=курсы| paid_search | yandex | cpc
            https://school.example.ru/?msclkid=a1b2c3d4e5 | https://www.bing.com/ | paid_search | bing | cpc
            https://school.example.ru/?utm_source=yandex_direct&utm_medium=context&utm_term=курсы+английского | - | paid_search | yandex_direct | context
            https://school.example.ru/?utm_source=Yandex&utm_medium=CPC | - | paid_search | yandex | cpc
            https://school.example.ru/?utm_source=vk&utm_medium=cpc&utm_campaign=retarget_oct | https://vk.com/ | paid_social | vk | cpc
            https://school.example.ru/?utm_source=vk_ads&utm_medium=target | - | paid_social | vk_ads | target
            https://school.example.ru/?rb_clickid=98765abc | https://ads.vk.com/ | paid_social | vk | paid_social
            https://school.example.ru/?ttclid=E.C.P.xyz | - | paid_social | tiktok | paid_social
            https://school.example.ru/?utm_source=telegram&utm_medium=paid_social | https://t.me/ | paid_social | telegram | paid_social
            https://school.example.ru/?utm_source=mytarget&utm_medium=cpm | - | display | mytarget | cpm
            https://school.example.ru/?utm_source=yandex&utm_medium=display&utm_campaign=rsya | - | display | yandex | display
            https://school.example.ru/?dclid=CLjk3 | - | display | google | display
            https://school.example.ru/?utm_source=admitad&utm_medium=cpa | - | affiliates | admitad | cpa
            https://school.example.ru/?utm_source=partner_blog&utm_medium=cpc | - | paid_other | partner_blog | cpc
            https://school.example.ru/?utm_source=unisender&utm_medium=email&utm_campaign=black_friday | - | email | unisender | email
            https://school.example.ru/?utm_source=newsletter | - | email | newsletter | (not set)
            https://school.example.ru/course | https://e.mail.ru/message/123 | email | e.mail.ru | email
            https://school.example.ru/course | https://mail.google.com/mail/u/0/ | email | mail.google.com | email
            https://school.example.ru/?utm_source=sms&utm_medium=sms | - | sms | sms | sms
            https://school.example.ru/?utm_source=onesignal&utm_medium=web_push | - | push | onesignal | web_push
            https://school.example.ru/?utm_source=telegram&utm_medium=post&utm_campaign=channel | - | organic_social | telegram | post
            https://school.example.ru/?utm_source=dzen&utm_medium=article | - | organic_social | dzen | article
            https://school.example.ru/ | https://vk.com/club123 | organic_social | vk.com | social
            https://school.example.ru/ | https://away.vk.com/away.php?to=x | organic_social | away.vk.com | social
            https://school.example.ru/ | https://t.me/school_channel | organic_social | t.me | social
            https://school.example.ru/ | https://l.facebook.com/l.php?u=x | organic_social | l.facebook.com | social
            https://school.example.ru/?fbclid=IwAR3x | https://l.instagram.com/ | organic_social | facebook | social
            https://school.example.ru/ | https://dzen.ru/a/Zx | organic_social | dzen.ru | social
            https://school.example.ru/ | https://www.youtube.com/ | organic_social | youtube.com | social
            https://school.example.ru/ | https://www.tiktok.com/ | organic_social | tiktok.com | social
            https://school.example.ru/ | https://www.google.com/ | organic_search | google | organic
            https://school.example.ru/ | https://www.google.co.uk/ | organic_search | google | organic
            https://school.example.ru/ | https://www.google.ru/ | organic_search | google | organic
            https://school.example.ru/ | https://yandex.ru/ | organic_search | yandex | organic
            https://school.example.ru/ | https://yandex.kz/search/ | organic_search | yandex | organic
            https://school.example.ru/ | https://yandex.com.tr/ | organic_search | yandex | organic
            https://school.example.ru/?ysclid=lq3x9z8k1m123456789 | https://ya.ru/ | organic_search | yandex | organic
            https://school.example.ru/ | https://go.mail.ru/search?q=x | organic_search | go.mail.ru | organic
            https://school.example.ru/ | https://duckduckgo.com/ | organic_search | duckduckgo.com | organic
            https://school.example.ru/ | https://www.bing.com/search?q=x | organic_search | bing.com | organic
            https://school.example.ru/ | https://search.yahoo.com/ | organic_search | yahoo | organic
            https://school.example.ru/?utm_source=seo_blog&utm_medium=organic | - | organic_search | seo_blog | organic
            https://school.example.ru/?utm_source=billboard_tverskaya&utm_medium=offline&utm_campaign=autumn | - | offline | billboard_tverskaya | offline
            https://school.example.ru/?utm_source=flyer&utm_medium=qr | - | offline | flyer | qr
            https://school.example.ru/ | https://habr.com/ru/articles/1 | organic_social | habr.com | social
            https://school.example.ru/ | https://some-blog.ru/post | referral | some-blog.ru | referral
            https://school.example.ru/?utm_source=friend&utm_medium=referral | - | referral | friend | referral
            https://school.example.ru/?utm_campaign=spring | - | unassigned | (not set) | (not set)
            https://school.example.ru/ | - | direct | (direct) | (none)
            https://school.example.ru/page2 | https://school.example.ru/ | direct | (direct) | (none)
            https://school.example.ru/thanks | https://yoomoney.ru/checkout/payments | direct | (direct) | (none)
            https://school.example.ru/thanks | https://pay-school.ru/checkout | direct | (direct) | (none)
            """)
    void classifiesRealLandingsAndReferrers(String url, String referrer, String channel, String source, String medium) {
        TrafficSource result = analyze(url.strip(), referrer == null ? null : referrer.strip());
        assertEquals(channel, result.channel(), "channel");
        assertEquals(source, result.campaign().source(), "source");
        assertEquals(medium, result.campaign().medium(), "medium");
    }

    @Test
    void keepsEveryClickIdAtOnceAndUnknownParametersRaw() {
        TrafficSource s = analyze("https://school.example.ru/?utm_source=yandex&utm_medium=cpc&yclid=111&gclid=222&fbclid=333"
                + "&_ym_debug=1&roistat=cpc_3&page=2", null);
        assertEquals(Map.of("yclid", "111", "gclid", "222", "fbclid", "333"), s.clickIds());
        assertEquals(Map.of("_ym_debug", "1", "roistat", "cpc_3", "page", "2"), s.otherParams());
        assertEquals(TrafficSource.Kind.TAGGED, s.kind());
    }

    @Test
    void readsCampaignFieldsInFullWithUnicodeAndPlusSigns() {
        TrafficSource s = analyze("https://school.example.ru/?utm_source=yandex&utm_medium=cpc&utm_campaign=%D0%BA%D1%83%D1%80%D1%81%D1%8B"
                + "&utm_term=курсы+английского&utm_content=ad_42&utm_id=9001", null);
        assertEquals(new Campaign("yandex", "cpc", "курсы", "курсы английского", "ad_42", "9001"), s.campaign());
    }

    @Test
    void firstValueWinsWhenAParameterRepeats() {
        assertEquals("brand", analyze("https://school.example.ru/?utm_campaign=brand&utm_source=ya&utm_campaign=other", null)
                .campaign().campaign());
    }

    @Test
    void readsTagsAfterTheHashWithoutOverridingTheQuery() {
        TrafficSource s = analyze("https://school.example.ru/?utm_source=vk#utm_source=tg&utm_medium=cpc", null);
        assertEquals("vk", s.campaign().source());
        assertEquals("cpc", s.campaign().medium());
    }

    @Test
    void aliasesFillCampaignFields() {
        assertEquals("partner42", analyze("https://school.example.ru/?from=partner42", null).campaign().source());
        // _openstat: base64 of "direct.yandex.ru;12345;67890;premium" (service;campaign;ad;placement)
        TrafficSource s = analyze("https://school.example.ru/?_openstat=ZGlyZWN0LnlhbmRleC5ydTsxMjM0NTs2Nzg5MDtwcmVtaXVt", null);
        assertEquals(new Campaign("direct.yandex.ru", "cpc", "12345", "premium", "67890", null), s.campaign());
        assertEquals("paid_search", s.channel());
    }

    @Test
    void theLinkerParameterIsNotAParameterOfTheVisit() {
        assertTrue(analyze("https://pay-school.ru/?_tl=abcdef123456.t5k2", null).otherParams().isEmpty());
    }

    @Test
    void internalAndIgnoredReferrersNameNoSource() {
        assertEquals(TrafficSource.Kind.INTERNAL, analyze("https://school.example.ru/b", "https://www.school.example.ru/a").kind());
        assertEquals(TrafficSource.Kind.INTERNAL, analyze("https://school.example.ru/b", "https://securepay.tinkoff.ru/x").kind());
        assertEquals(TrafficSource.Kind.DIRECT, analyze("https://school.example.ru/b", "").kind());
        // App referrers (android-app://) name no web host: such a visit counts as direct.
        assertEquals(TrafficSource.Kind.DIRECT, analyze("https://school.example.ru/b", "android-app://com.google.android.gm/").kind());
    }
}
