package io.throughline.attribution.domain.crm;

/**
 * How one CRM integration's payloads are read: the CRM name deals are keyed by, the account's currency, whether a
 * won deal counts as paid in full (CRMs without payments of their own), and the deal field holding the site's
 * visitor id.
 */
public record CrmSettings(String crm, String currency, boolean wonIsPaid, String visitorField) {
}
