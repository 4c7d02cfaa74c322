package io.webtraffic.generate;

/**
 * What a generated record is meant to exercise in the pipeline. Each maps to one outcome of the
 * accounting invariant: written, duplicate dropped, late, dead-lettered or filtered.
 */
public enum Kind {
  /** A well-formed page view; may be out of order (see {@link GeneratedRecord#jittered()}). */
  VALID,
  /** A byte-identical re-send of a recent VALID record, as a producer retry makes. */
  DUPLICATE,
  /** Well-formed, but its event time lies far behind the simulated clock. */
  LATE,
  /** Cannot be decoded into an event: see {@link Malformation}. */
  MALFORMED,
  /** Well-formed, but its event time lies ahead of the simulated clock (a skewed client clock). */
  FUTURE,
  /** Well-formed traffic the pipeline does not keep: static assets, health checks, bots. */
  FILTERED
}
