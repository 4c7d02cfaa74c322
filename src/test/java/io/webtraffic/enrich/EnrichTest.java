package io.webtraffic.enrich;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.testing.TestSpark;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class EnrichTest {
  private final SparkSession spark = TestSpark.session();

  private final Broadcast<Dimensions> dimensions =
      JavaSparkContext.fromSparkContext(spark.sparkContext())
          .broadcast(
              new Dimensions(
                  IpRanges.of(
                      List.of(
                          new IpRange(
                              IpAddress.parse("10.0.0.0").orElseThrow(),
                              IpAddress.parse("10.0.0.255").orElseThrow(),
                              new Geo("DE", "Berlin", "Berlin")))),
                  Map.of("shop.example", new Site("Shop", "team-a", "prod")),
                  "v1"));

  private Dataset<Row> rows(StructType schema, Row... rows) {
    return spark.createDataFrame(Arrays.asList(rows), schema);
  }

  /** The columns Enrich adds, in order: geo from the address, then site from the host. */
  private static final List<String> ENRICHED =
      List.of("country", "state", "city", "site_name", "owner", "environment");

  private static final StructType EVENTS =
      new StructType()
          .add("id", DataTypes.IntegerType)
          .add("ip", DataTypes.StringType)
          .add("host", DataTypes.StringType)
          .add("stored", DataTypes.BooleanType);

  @Test
  void storedRowsGetTheirGeoAndSiteTheOthersNulls() {
    Dataset<Row> in =
        rows(
            EVENTS,
            RowFactory.create(1, "10.0.0.7", "SHOP.example", true),
            RowFactory.create(2, "192.0.2.1", "other.example", true),
            RowFactory.create(3, "not an address", null, true),
            RowFactory.create(4, "10.0.0.7", "shop.example", false));

    Dataset<Row> out = Enrich.apply(in, dimensions, col("stored"));

    assertEquals(
        Stream.concat(Stream.of("id", "ip", "host", "stored"), ENRICHED.stream()).toList(),
        List.of(out.columns()));
    assertEquals(
        List.of(
            "1,DE,Berlin,Berlin,Shop,team-a,prod",
            "2,unknown,unknown,unknown,unknown,unknown,unknown",
            "3,unknown,unknown,unknown,unknown,unknown,unknown",
            "4,null,null,null,null,null,null"),
        out.drop("ip", "host", "stored").orderBy("id").collectAsList().stream()
            .map(r -> r.mkString(","))
            .toList());
  }

  @Test
  void aColumnOfTheSameNameIsReplacedWhereItStands() {
    StructType schema = EVENTS.add("country", DataTypes.StringType).add("n", DataTypes.LongType);
    Dataset<Row> in = rows(schema, RowFactory.create(1, "10.0.0.9", "x", true, "stale", 5L));

    Dataset<Row> out = Enrich.apply(in, dimensions, col("stored"));

    assertEquals(
        Stream.concat(
                Stream.of("id", "ip", "host", "stored", "country", "n"), ENRICHED.stream().skip(1))
            .toList(),
        List.of(out.columns()));
    assertEquals(
        "1,10.0.0.9,x,true,DE,5,Berlin,Berlin,unknown,unknown,unknown", out.first().mkString(","));
  }
}
