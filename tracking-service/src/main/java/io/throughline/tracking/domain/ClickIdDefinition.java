package io.throughline.tracking.domain;

/**
 * One ad click id the registry recognizes: its query parameter, the ad platform, and the source and medium a
 * visit carrying it (and no UTM tags) is attributed to.
 */
public record ClickIdDefinition(String param, String platform, String source, String medium) {
}
