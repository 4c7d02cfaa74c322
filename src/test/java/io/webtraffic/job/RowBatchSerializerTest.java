package io.webtraffic.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.repeat;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.testing.TestSpark;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.columnar.CachedBatch;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import scala.collection.Seq;

/**
 * The job's sessions cache as rows ({@link RowBatchSerializer}): what is read back from the kept
 * copy equals the same query computed again without it.
 */
class RowBatchSerializerTest {
  private final SparkSession spark = TestSpark.session();

  /**
   * 3,000 rows of about 4 KB: several batches per partition. Strings, nulls, binary, a timestamp
   * and a struct, as the kept copy holds them.
   */
  private Dataset<Row> rows() {
    return spark
        .range(0, 3_000, 1, 2)
        .select(
            col("id"),
            when(col("id").mod(7).equalTo(0), lit(null))
                .otherwise(concat(lit("row-"), col("id").cast("string")))
                .as("name"),
            repeat(lit("x"), 4_000).as("padding"),
            expr("cast(id as string)").cast("binary").as("raw"),
            expr("timestamp_millis(1763633730000 + id)").as("at"),
            struct(col("id").multiply(2).as("twice"), lit("s").as("tag")).as("nested"));
  }

  /** Each row as text, binary as hex and the padding as its length and hash (short failures). */
  private static List<String> sorted(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(RowBatchSerializerTest::describe).sorted().toList();
  }

  private static String describe(Row row) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < row.length(); i++) {
      Object value = row.get(i);
      text.append(row.schema().fields()[i].name()).append('=');
      if (value instanceof byte[] bytes) {
        text.append(HexFormat.of().formatHex(bytes));
      } else if (value instanceof String s && s.length() > 100) {
        text.append(s.length()).append(':').append(s.hashCode());
      } else {
        text.append(value);
      }
      text.append(' ');
    }
    return text.toString();
  }

  @Test
  void theCachedRowsAreTheRowsComputedAgain() {
    assertEquals(
        RowBatchSerializer.class.getName(), spark.conf().get("spark.sql.cache.serializer"));
    Dataset<Row> kept = rows().persist(MicroBatch.KEPT_COPY);
    try {
      assertEquals(3_000, kept.count());
      assertEquals(sorted(rows()), sorted(kept));
    } finally {
      kept.unpersist(true);
    }
  }

  @Test
  void someColumnsOfTheCachedRowsAreThoseColumnsComputedAgain() {
    Dataset<Row> kept = rows().persist(MicroBatch.KEPT_COPY);
    try {
      kept.count();
      assertEquals(
          sorted(rows().where(col("name").isNull()).select("nested", "id")),
          sorted(kept.where(col("name").isNull()).select("nested", "id")));
    } finally {
      kept.unpersist(true);
    }
  }

  /**
   * Rows that are not yet binary (an operator may hand over generic rows) are made binary on the
   * way in, by the projection generated for the first such row.
   */
  @Test
  void rowsThatAreNotBinaryAreKeptAsTheirValues() {
    Seq<Attribute> shape =
        spark
            .range(1)
            .select(col("id"), when(col("id").gt(0), lit("x")).as("name"))
            .queryExecution()
            .analyzed()
            .output();
    List<InternalRow> generic =
        List.of(
            new GenericInternalRow(new Object[] {1L, UTF8String.fromString("one")}),
            new GenericInternalRow(new Object[] {2L, null}),
            new GenericInternalRow(new Object[] {3L, UTF8String.fromString("drei")}));
    RowBatchSerializer serializer = new RowBatchSerializer();
    SQLConf conf = spark.sessionState().conf();

    RDD<CachedBatch> kept =
        serializer.convertInternalRowToCachedBatch(
            JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(generic, 2).rdd(),
            shape,
            MicroBatch.KEPT_COPY,
            conf);
    List<String> back =
        serializer
            .convertCachedBatchToInternalRow(kept, shape, shape, conf)
            .toJavaRDD()
            .map(row -> row.getLong(0) + "=" + (row.isNullAt(1) ? "null" : row.getUTF8String(1)))
            .collect();

    assertEquals(List.of("1=one", "2=null", "3=drei"), back);
  }
}
