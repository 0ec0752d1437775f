package io.throughline.attribution.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "The complete stage mapping of one CRM", example = """
        {"mappings": [{"stage": "Первичный контакт", "canonical": "lead"},
                      {"stage": "Счёт выставлен", "canonical": "invoice"},
                      {"stage": "Оплачено", "canonical": "paid"},
                      {"stage": "Закрыто и не реализовано", "canonical": "lost"}]}""")
public record StageMappingRequest(@NotNull @Size(max = 500) List<@Valid @NotNull Mapping> mappings) {

    public record Mapping(
            @NotBlank @Size(max = 200) String stage,
            @NotNull @Pattern(regexp = "lead|qualified|proposal|invoice|won|paid|lost",
                    message = "must be one of lead, qualified, proposal, invoice, won, paid, lost") String canonical) {
    }
}
