package io.throughline.tracking.domain;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a user agent string says about the visitor: a known crawler, a headless browser, the device class.
 * Real traffic repeats a few thousand user agents, so callers cache these per string.
 */
public record UserAgentFacts(boolean crawler, boolean headless, String deviceClass) {

    private static final Pattern HEADLESS_UA = Pattern.compile("HeadlessChrome|PhantomJS|SlimerJS|Headless|Puppeteer|Playwright|Selenium");

    public static UserAgentFacts of(String userAgent, Predicate<String> crawlers) {
        boolean crawler = userAgent != null && !userAgent.isBlank() && crawlers.test(userAgent);
        boolean headless = userAgent != null && HEADLESS_UA.matcher(userAgent).find();
        return new UserAgentFacts(crawler, headless, DeviceClass.of(userAgent, crawler).code());
    }
}
