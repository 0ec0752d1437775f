/** Background work: keeping aggregates up with the other services' feeds, imports, scheduled connector pulls. */
package io.throughline.reporting.processing;
