/** Configuration bound with @ConfigMapping under this service's prefix. */
package io.throughline.tracking.config;
