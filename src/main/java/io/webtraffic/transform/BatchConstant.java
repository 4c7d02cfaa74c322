package io.webtraffic.transform;

import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.udf;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.types.DataTypes;

/**
 * A value that changes every micro-batch (its id, its late threshold) as a column whose generated
 * code does not. Spark writes a numeric literal into the Java source of the stage it compiles, so
 * one per-batch literal made every batch compile, load and JIT-compile its largest stages anew, and
 * run them interpreted until the JIT caught up. Here the value is read through a reference; the
 * expression is nondeterministic only so that the optimizer cannot fold it back into a literal.
 */
public final class BatchConstant {
  private BatchConstant() {}

  /** The value, as a {@code bigint} column. */
  public static Column ofLong(long value) {
    return udf((UDF0<Long>) () -> value, DataTypes.LongType).asNondeterministic().apply();
  }

  /** Milliseconds since the epoch, as a {@code timestamp} column. */
  public static Column timestampMillis(long epochMillis) {
    return timestamp_millis(ofLong(epochMillis));
  }
}
