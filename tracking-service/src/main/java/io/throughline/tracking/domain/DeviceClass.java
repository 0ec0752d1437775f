package io.throughline.tracking.domain;

import java.util.regex.Pattern;

/** The kind of device a user agent names: what reports split traffic by. */
public enum DeviceClass {
    DESKTOP, MOBILE, TABLET, TV, BOT, UNKNOWN;

    private static final Pattern TV_UA = Pattern.compile("SmartTV|SMART-TV|Tizen.*TV|Web0S|WebOS|HbbTV|AppleTV|CrKey|Roku|BRAVIA|GoogleTV|AndroidTV");
    private static final Pattern TABLET_UA = Pattern.compile("iPad|Tablet|PlayBook|Silk/|Kindle|Nexus (7|9|10)|SM-T\\d|Android(?!.*Mobile)");
    private static final Pattern MOBILE_UA = Pattern.compile("Mobi|iPhone|iPod|Android.*Mobile|Windows Phone|BlackBerry|BB10|Opera Mini|IEMobile|YaBrowser.*Mobile");

    public static DeviceClass of(String userAgent, boolean crawler) {
        if (crawler) {
            return BOT;
        }
        if (userAgent == null || userAgent.isBlank()) {
            return UNKNOWN;
        }
        if (TV_UA.matcher(userAgent).find()) {
            return TV;
        }
        if (TABLET_UA.matcher(userAgent).find()) {
            return TABLET;
        }
        if (MOBILE_UA.matcher(userAgent).find()) {
            return MOBILE;
        }
        return userAgent.startsWith("Mozilla/") ? DESKTOP : UNKNOWN;
    }

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
