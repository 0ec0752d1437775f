/** The erasure feed of identity-service as the services holding personal data consume it. */
package io.throughline.commons.erasure;
