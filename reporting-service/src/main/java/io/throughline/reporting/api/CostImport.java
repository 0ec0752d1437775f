package io.throughline.reporting.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Ad spend rows; a row with the same day, source and campaign replaces the stored one", example = """
        {"rows": [{"day": "2026-11-01", "source": "yandex", "campaign": "brand_search", "amount": 18500.00, "currency": "RUB"},
                  {"day": "2026-11-01", "source": "vk", "campaign": "retargeting", "amount": 4200.50, "currency": "RUB"}]}""")
public record CostImport(@NotNull @Size(min = 1, max = 5000) List<@Valid @NotNull Row> rows) {

    public record Row(
            @NotNull LocalDate day,
            @NotBlank @Size(max = 100) String source,
            @NotNull @Size(max = 300) String campaign,
            @NotNull BigDecimal amount,
            @NotBlank String currency) {
    }
}
