/**
 * The domain model: immutable records and enums with the names and rules of the wire format.
 */
package io.snowpack.core.model;
