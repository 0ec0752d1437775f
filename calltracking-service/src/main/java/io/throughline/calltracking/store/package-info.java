/** Entities, repositories, queries and collections. */
package io.throughline.calltracking.store;
