package io.throughline.reporting.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Ad spend rows: a day of a platform account is replaced by the rows given for it", example = """
        {"rows": [{"day": "2026-11-01", "platform": "yandex_direct", "account": "shop-direct", "campaign_id": "70410", "campaign": "brand_search",
                   "ad_group": "5551", "keyword": "купить диван", "impressions": 1200, "clicks": 87, "cost": 18500.00, "currency": "RUB"},
                  {"day": "2026-11-01", "platform": "vk_ads", "campaign": "retargeting", "cost": 4200.50, "currency": "RUB"}]}""")
public record SpendRequest(@NotNull @Size(min = 1, max = 5000) List<Row> rows) {

    public record Row(String day, String platform, String account, String campaignId, String campaign, String adGroup, String keyword,
            Long impressions, Long clicks, BigDecimal cost, String currency, BigDecimal conversions, String utmSource, String utmMedium,
            String channel) {
    }
}
