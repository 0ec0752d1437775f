package io.throughline.identity.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Merge-guard settings; {@code customized} is false while the workspace runs on the defaults. */
@Schema(description = "Merge-guard settings", example = """
        {"hub_threshold": 3, "role_mailboxes": ["info", "noreply", "sales"]}""")
public record SettingsView(
        @NotNull @Min(1) @Max(100) Integer hubThreshold,
        @NotNull @Size(max = 100) List<@NotNull @Size(min = 1, max = 64) String> roleMailboxes,
        @Schema(readOnly = true) Boolean customized,
        @Schema(readOnly = true) Instant updatedAt) {
}
