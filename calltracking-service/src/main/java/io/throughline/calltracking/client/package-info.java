/** Adapters around calls to other services: timeouts, retries, circuit breaking, service tokens. */
package io.throughline.calltracking.client;
