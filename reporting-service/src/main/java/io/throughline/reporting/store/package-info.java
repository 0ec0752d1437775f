/** Entities, repositories, queries and collections. */
package io.throughline.reporting.store;
