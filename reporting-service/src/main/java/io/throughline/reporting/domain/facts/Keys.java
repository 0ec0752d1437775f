package io.throughline.reporting.domain.facts;

import java.util.List;

/** The campaign keys every report groups and filters by. */
public record Keys(String channel, String source, String medium, String campaign, String keyword) {

    /** A deal whose journey reporting has not seen yet (no attribution run covered it). */
    public static final Keys NOT_ATTRIBUTED = new Keys("(not attributed)", "", "", "", "");

    public Keys {
        channel = channel == null || channel.isBlank() ? "(none)" : channel;
        source = source == null ? "" : source;
        medium = medium == null ? "" : medium;
        campaign = campaign == null ? "" : campaign;
        keyword = keyword == null ? "" : keyword;
    }

    public List<Object> values() {
        return List.of(channel, source, medium, campaign, keyword);
    }

    public static final List<String> COLUMNS = List.of("channel", "source", "medium", "campaign", "keyword");
}
