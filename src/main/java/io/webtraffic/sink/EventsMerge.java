package io.webtraffic.sink;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import org.apache.spark.sql.Row;

/**
 * Upserts a batch's clean events into {@code processed_events}, inside the batch's transaction:
 * COPY into a staging table, then one {@code INSERT ... ON CONFLICT (dedup_key)}, so an event
 * written again (a replay, a re-send) replaces its row instead of adding one.
 */
final class EventsMerge {
  private EventsMerge() {}

  static void merge(Connection c, String schema, Iterator<Row> events, long batchId)
      throws SQLException, IOException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TEMP TABLE stage_events (LIKE " + schema + ".processed_events) ON COMMIT DROP");
    }
    PostgresCopy.copy(
        c,
        "stage_events",
        events,
        r ->
            CsvRows.line(
                r.getAs("dedup_key"),
                r.getAs("event_time"),
                r.getAs("url"),
                r.getAs("referrer"),
                r.getAs("host"),
                r.getAs("ip"),
                r.getAs("ua_family"),
                r.getAs("device_family"),
                r.getAs("os_family"),
                r.getAs("user_id"),
                r.getAs("academy_id"),
                r.getAs("kafka_partition"),
                r.getAs("kafka_offset"),
                batchId,
                r.getAs("country"),
                r.getAs("state"),
                r.getAs("city"),
                r.getAs("site_name"),
                r.getAs("owner"),
                r.getAs("environment")));
    try (Statement st = c.createStatement()) {
      st.executeUpdate(
          "INSERT INTO "
              + schema
              + ".processed_events SELECT * FROM stage_events"
              + " ON CONFLICT (dedup_key) DO UPDATE SET event_time = EXCLUDED.event_time,"
              + " url = EXCLUDED.url, referrer = EXCLUDED.referrer, host = EXCLUDED.host,"
              + " ip = EXCLUDED.ip, ua_family = EXCLUDED.ua_family,"
              + " device_family = EXCLUDED.device_family, os_family = EXCLUDED.os_family,"
              + " user_id = EXCLUDED.user_id, academy_id = EXCLUDED.academy_id,"
              + " kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset,"
              + " batch_id = EXCLUDED.batch_id, country = EXCLUDED.country,"
              + " state = EXCLUDED.state, city = EXCLUDED.city, site_name = EXCLUDED.site_name,"
              + " owner = EXCLUDED.owner, environment = EXCLUDED.environment");
    }
  }
}
