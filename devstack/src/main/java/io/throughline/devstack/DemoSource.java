package io.throughline.devstack;

/**
 * Where a demo visit comes from: the ad platform (null for unpaid sources), its utm tags, the referrer and the click id
 * parameter; the campaigns the demo's stories are told on.
 */
record DemoSource(String platform, String source, String medium, String campaign, String referrer, String clickParam) {
    static final DemoSource GENERIC_SEARCH = new DemoSource("yandex_direct", "yandex", "cpc", "generic_search", "https://yandex.ru/", "yclid");
    static final DemoSource BRAND_SEARCH = new DemoSource("yandex_direct", "yandex", "cpc", "brand_search", "https://yandex.ru/", "yclid");
    static final DemoSource PMAX = new DemoSource("google_ads", "google", "cpc", "pmax", "https://www.google.com/", "gclid");
    static final DemoSource TELEGRAM = new DemoSource("telegram_ads", "telegram", "post", "channel_posts", "https://t.me/", null);
    static final DemoSource RETARGETING = new DemoSource("vk_ads", "vk", "cpc", "retargeting", "https://vk.com/", "rb_clickid");
    static final DemoSource SEO_YANDEX = new DemoSource(null, null, null, null, "https://yandex.ru/search/?text=%D0%BA%D1%83%D1%80%D1%81%D1%8B", null);
    static final DemoSource SEO_GOOGLE = new DemoSource(null, null, null, null, "https://www.google.com/", null);
    static final DemoSource NEWSLETTER = new DemoSource(null, "unisender", "email", "newsletter", "", null);
    static final DemoSource DIRECT = new DemoSource(null, null, null, null, "", null);
    static final DemoSource BUSINESS_CARDS = new DemoSource("google_ads", "google", "cpc", "business_cards", "https://www.google.com/", "gclid");
    static final DemoSource PRINTING_SEARCH = new DemoSource("yandex_direct", "yandex", "cpc", "printing_search", "https://yandex.ru/", "yclid");

    String landing(String domain, String click) {
        String query = source == null ? "" : "?utm_source=" + source + "&utm_medium=" + medium + "&utm_campaign=" + campaign
                + (clickParam == null ? "" : "&" + clickParam + "=" + click);
        return "https://" + domain + "/" + query;
    }
}
