package io.throughline.tracking.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A website to track", example = """
        {"name": "Online school", "domains": ["school.example.ru", "pay.example.ru"],
         "default_phone_region": "RU", "consent_required": false, "session_timeout_minutes": 30, "min_form_fill_ms": 3000}""")
public record SiteRequest(
        @NotBlank @Size(max = 120) String name,
        @Schema(description = "The site's domains; subdomains are included. Browsers on other origins may not send events, "
                + "and t.js carries the visitor id across these domains")
        @NotNull @Size(min = 1, max = 20) List<@NotBlank @Size(max = 253) String> domains,
        @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 alpha-2 region such as RU") String defaultPhoneRegion,
        @Schema(description = "t.js sends nothing and sets no cookie until the page calls throughline('consent', true)")
        boolean consentRequired,
        @Schema(description = "Inactivity after which a new session starts (default 30)")
        @Min(5) @Max(240) Integer sessionTimeoutMinutes,
        @Schema(description = "Forms submitted faster than this after the visitor started filling them are flagged (default 3000)")
        @Min(0) @Max(60000) Integer minFormFillMs) {
}
