package io.throughline.calltracking.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A dynamic number pool of a site", example = """
        {"name": "Main site pool", "site_key": "pk_7xkq2m9c4w8r3t6y5u2v", "hold_seconds": 180,
         "overflow_policy": "default_number", "replace_numbers": ["+7 495 215-38-41"], "selectors": [".header-phone"],
         "display_mask": "8 (XXX) XXX-XX-XX", "default_number": "+74952153840"}""")
public record PoolRequest(
        @NotBlank @Size(max = 120) String name,
        @NotBlank @Size(max = 64) String siteKey,
        @Min(30) @Max(3600) Integer holdSeconds,
        @Pattern(regexp = "default_number|reuse_least_recent", message = "must be default_number or reuse_least_recent")
        String overflowPolicy,
        @Schema(description = "The site's own numbers that DNI replaces on its pages, in any usual notation")
        @Size(max = 20) List<@NotBlank @Size(max = 40) String> replaceNumbers,
        @Schema(description = "CSS selectors of elements that show a phone (the marker classes roistat-phone, call_phone_1, "
                + "comagic_phone and ct-phone are always included)")
        @Size(max = 20) List<@NotBlank @Size(max = 200) String> selectors,
        @Schema(description = "How numbers are written on the page; each X takes the next digit of the national number")
        @Size(max = 40) @Pattern(regexp = "[-+0-9 ()X.]*", message = "may hold only X, digits, spaces, +, -, ., ( and )") String displayMask,
        @Schema(description = "Shown when every pool number is held and the policy is default_number")
        @Size(max = 40) String defaultNumber) {

    /** Three minutes after the last heartbeat, as the call-tracking research recommends. */
    public static final int DEFAULT_HOLD_SECONDS = 180;
}
