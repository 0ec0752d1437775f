/** Entities, repositories, queries and collections. */
package io.throughline.attribution.store;
