package io.throughline.calltracking.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "A dynamic number pool of a site", example = """
        {"name": "Main site pool", "site_key": "pk_7xkq2m9c4w8r3t6y5u2v", "hold_seconds": 180,
         "overflow_policy": "default_number"}""")
public record PoolRequest(
        @NotBlank @Size(max = 120) String name,
        @NotBlank @Size(max = 64) String siteKey,
        @Min(30) @Max(3600) Integer holdSeconds,
        @Pattern(regexp = "default_number|reuse_least_recent", message = "must be default_number or reuse_least_recent")
        String overflowPolicy) {

    /** Three minutes after the last heartbeat, as the call-tracking research recommends. */
    public static final int DEFAULT_HOLD_SECONDS = 180;
}
