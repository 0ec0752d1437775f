/**
 * CRM webhook formats read into deal snapshots, pure Java: amoCRM's form-encoded lead and contact events and
 * Bitrix24's deals as its REST API returns them. Each refusal names the field at fault.
 */
package io.throughline.attribution.domain.crm;
