package io.webtraffic.enrich;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Adds the side-input columns to the rows a sink stores: country, state, city from {@code ip}, and
 * site name, owner, environment from {@code host}. The lookup reads the broadcast it is given, on
 * the executors, by binary search: no network call per row. Never null on an enriched row: an
 * unknown or malformed address, or an unknown host, gives "unknown".
 */
public final class Enrich {
  private static final StructType GEO =
      new StructType()
          .add("country", DataTypes.StringType, false)
          .add("state", DataTypes.StringType, false)
          .add("city", DataTypes.StringType, false);
  private static final StructType SITE =
      new StructType()
          .add("site_name", DataTypes.StringType, false)
          .add("owner", DataTypes.StringType, false)
          .add("environment", DataTypes.StringType, false);

  private Enrich() {}

  /**
   * Enriches only the rows {@code where} holds (the rows a sink stores); the others get nulls and
   * cost no lookup.
   */
  public static Dataset<Row> apply(
      Dataset<Row> rows, Broadcast<Dimensions> dimensions, Column where) {
    UserDefinedFunction geo =
        udf(
                (UDF1<String, Row>)
                    ip -> {
                      Geo g = dimensions.value().geo(ip);
                      return RowFactory.create(g.country(), g.state(), g.city());
                    },
                GEO)
            .asNonNullable();
    UserDefinedFunction site =
        udf(
                (UDF1<String, Row>)
                    host -> {
                      Site s = dimensions.value().site(host);
                      return RowFactory.create(s.siteName(), s.owner(), s.environment());
                    },
                SITE)
            .asNonNullable();
    // One call per row and dimension: the structs are computed once, then split into columns.
    // Two projections, not one per column: Spark analyses the whole plan again after each one, in
    // every batch.
    Dataset<Row> looked =
        rows.select(
            col("*"),
            when(where, geo.apply(col("ip"))).as("_geo"),
            when(where, site.apply(col("host"))).as("_site"));
    Map<String, Column> fields = new LinkedHashMap<>();
    for (String field : GEO.fieldNames()) {
      fields.put(field, col("_geo." + field));
    }
    for (String field : SITE.fieldNames()) {
      fields.put(field, col("_site." + field));
    }
    List<Column> columns = new ArrayList<>();
    for (String c : rows.columns()) {
      columns.add(fields.containsKey(c) ? fields.remove(c).as(c) : col(c));
    }
    fields.forEach((name, value) -> columns.add(value.as(name)));
    return looked.select(columns.toArray(Column[]::new));
  }
}
