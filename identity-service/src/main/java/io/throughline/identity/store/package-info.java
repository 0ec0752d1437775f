/** Entities, repositories, queries and collections. */
package io.throughline.identity.store;
