package io.throughline.tracking.api;

import io.throughline.testkit.Browser;
import io.throughline.testkit.TestSites;
import java.time.Duration;
import java.util.function.Supplier;
import org.openqa.selenium.chrome.ChromeDriver;

/** What the browser tests share: test pages with the snippet, cookies, and waiting for what the store receives. */
final class BrowserFixtures {

    static final String STUB = "<script>window.throughline=window.throughline||function(){(throughline.q=throughline.q||[]).push(arguments)};</script>";

    private static TestSites sites;

    private BrowserFixtures() {
    }

    /** The pages of the test sites, served for every browser test of this run (skips the test without Chromium). */
    static synchronized TestSites sites() {
        Browser.requireChromium();
        if (sites == null) {
            sites = new TestSites();
            Runtime.getRuntime().addShutdownHook(new Thread(sites::close));
        }
        return sites;
    }

    /** The embed tag for a site, with t.js loaded from {@code base}. */
    static String snippet(String base, String siteKey, String attributes) {
        return STUB + "<script async src=\"" + base.replaceAll("/$", "") + "/t.js\" data-site=\"" + siteKey + "\"" + attributes + "></script>";
    }

    static String page(String title, String snippet, String body) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title>" + snippet + "</head><body>" + body
                + "</body></html>";
    }

    static String cookie(ChromeDriver chrome, String name) {
        var c = chrome.manage().getCookieNamed(name);
        return c == null ? null : c.getValue();
    }

    static <T> T waitFor(Supplier<T> value, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
