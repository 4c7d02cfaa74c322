package io.webtraffic.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.testing.TestSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class EnrichUserAgentTest {
  private final SparkSession spark = TestSpark.session();

  private static final StructType IN =
      new StructType().add("id", DataTypes.IntegerType).add("user_agent", DataTypes.StringType);

  private static final String CHROME =
      "{\"family\":\"Chrome\",\"major\":\"120\",\"device\":{\"family\":\"Other\"},"
          + "\"os\":{\"family\":\"Windows\"}}";

  /** id, family, major, device, os: what each user agent below gives, worked out by hand. */
  @Test
  void jsonObjectsAreReadAndAnythingElseLeavesNulls() {
    List<Row> in =
        List.of(
            RowFactory.create(1, CHROME),
            // JSON's white space before the object, as a parser skips it
            RowFactory.create(2, " \t\r\n{\"family\":\"Safari\",\"os\":{\"family\":\"iOS\"}}"),
            // an older producer's plain string
            RowFactory.create(3, "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0"),
            RowFactory.create(4, null),
            RowFactory.create(5, "[" + CHROME + "]"),
            RowFactory.create(6, "\"Chrome\""),
            RowFactory.create(7, "{\"family\":"),
            RowFactory.create(8, ""),
            // white space JSON does not skip
            RowFactory.create(9, "\u00a0" + CHROME),
            RowFactory.create(10, "{}"));

    List<String> out = new ArrayList<>();
    for (Row r :
        new EnrichUserAgent()
            .apply(spark.createDataFrame(in, IN))
            .orderBy("id")
            .select("id", "ua_family", "ua_major", "device_family", "os_family")
            .collectAsList()) {
      out.add(r.mkString("|"));
    }

    assertEquals(
        Arrays.asList(
            "1|Chrome|120|Other|Windows",
            "2|Safari|null|null|iOS",
            "3|null|null|null|null",
            "4|null|null|null|null",
            "5|null|null|null|null",
            "6|null|null|null|null",
            "7|null|null|null|null",
            "8|null|null|null|null",
            "9|null|null|null|null",
            "10|null|null|null|null"),
        out);
  }
}
