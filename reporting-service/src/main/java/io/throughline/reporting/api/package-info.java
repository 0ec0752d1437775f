/** REST resources, their request and response records, and the services they delegate to. */
package io.throughline.reporting.api;
