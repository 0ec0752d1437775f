/** Background work on stored calls: matching to sessions, enrichment, quality, identity links, erasures. */
package io.throughline.calltracking.processing;
