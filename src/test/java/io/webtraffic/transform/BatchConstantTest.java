package io.webtraffic.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.testing.TestSpark;
import java.util.function.LongFunction;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class BatchConstantTest {
  private final SparkSession spark = TestSpark.session();

  /** Rows of 0..99 at or below the value: computed by a whole-stage-compiled filter. */
  private long atOrBelow(Column value) {
    return spark.range(0, 100).where(col("id").leq(value)).count();
  }

  /** Classes Spark compiled while counting with the second value, the first already counted. */
  private long compiledForSecondValue(LongFunction<Column> constant, long first, long second) {
    assertEquals(first + 1, atOrBelow(constant.apply(first)));
    long before = CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
    assertEquals(second + 1, atOrBelow(constant.apply(second)));
    return CodegenMetrics.METRIC_COMPILATION_TIME().getCount() - before;
  }

  @Test
  void aNewValueReusesTheCompiledStage() {
    assertEquals(0, compiledForSecondValue(BatchConstant::ofLong, 41, 57));
  }

  @Test
  void aLiteralRecompilesForEveryValue() {
    // The control: the same query with a literal compiles its stage again for a new value.
    assertTrue(compiledForSecondValue(v -> lit(v), 23, 71) > 0);
  }

  @Test
  void timestampMillisIsTheInstant() {
    long ms = 1_763_633_730_123L;
    assertEquals(
        1,
        spark
            .range(1)
            .where(BatchConstant.timestampMillis(ms).equalTo(timestamp_millis(lit(ms))))
            .count());
  }
}
