/** Entities, repositories, queries and collections. */
package io.throughline.tracking.store;
