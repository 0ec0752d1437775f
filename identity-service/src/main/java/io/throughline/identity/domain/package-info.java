/** Pure Java: records, value objects and the algorithms of this service; no Quarkus, no I/O. */
package io.throughline.identity.domain;
