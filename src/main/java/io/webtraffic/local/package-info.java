/**
 * The embedded default stack: a real KRaft Kafka broker in-process and a real PostgreSQL from
 * Maven-shipped binaries, so the pipeline runs on a laptop with nothing installed but a JDK.
 *
 * <p>Not used on clusters; there the pipeline is pointed at real endpoints through its
 * configuration.
 */
package io.webtraffic.local;
