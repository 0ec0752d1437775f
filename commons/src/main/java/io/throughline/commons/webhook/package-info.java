/** Signed webhooks: the HMAC scheme every Throughline webhook accepts unless a provider's own applies. */
package io.throughline.commons.webhook;
