package io.throughline.calltracking.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A static number bound to a source: shown to visitors whose campaign matches, and every call to it is "
        + "credited to that source", example = """
        {"site_key": "pk_7xkq2m9c4w8r3t6y5u2v", "number": "8 (495) 215-38-42", "label": "Metro billboard, November",
         "channel": "offline", "match_source": "billboard"}""")
public record NumberRequest(
        @NotBlank @Size(max = 64) String siteKey,
        @NotBlank @Size(max = 40) String number,
        @Size(max = 200) String label,
        @Size(max = 64) @Pattern(regexp = "[a-z0-9_]*", message = "must be lowercase letters, digits and _") String channel,
        @Schema(description = "utm_source (lowercase) whose visitors are shown this number; empty: an offline-only number")
        @Size(max = 200) String matchSource,
        @Size(max = 200) String matchMedium,
        @Size(max = 200) String matchCampaign) {
}
