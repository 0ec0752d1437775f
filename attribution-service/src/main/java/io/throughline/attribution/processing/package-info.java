/** Background work on stored deals: their contacts linked and their payments reported in identity-service. */
package io.throughline.attribution.processing;
