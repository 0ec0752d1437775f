package io.throughline.tracking.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A website to track", example = """
        {"name": "Online school", "domains": ["school.example.ru", "pay.example.ru"],
         "default_phone_region": "RU", "consent_required": false}""")
public record SiteRequest(
        @NotBlank @Size(max = 120) String name,
        @NotNull @Size(min = 1, max = 20) List<@NotBlank @Size(max = 253) String> domains,
        @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166 alpha-2 region such as RU") String defaultPhoneRegion,
        boolean consentRequired) {
}
