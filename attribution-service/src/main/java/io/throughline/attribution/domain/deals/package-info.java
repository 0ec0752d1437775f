/** CRM deals as attribution sees them: the newest snapshot of each deal, its stage history and its payments. */
package io.throughline.attribution.domain.deals;
