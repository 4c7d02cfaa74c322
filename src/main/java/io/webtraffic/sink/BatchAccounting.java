package io.webtraffic.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webtraffic.batch.BatchCounts;
import io.webtraffic.batch.KafkaTimes;
import io.webtraffic.batch.Watermarks;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code pipeline_batches} table: one accounting row per committed batch (what it read and how
 * each record was classified, its watermarks and latency), written in the batch's transaction, and
 * what is learned of a batch or asked of past batches afterwards.
 */
final class BatchAccounting {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PostgresConnections connections;

  BatchAccounting(PostgresConnections connections) {
    this.connections = connections;
  }

  /**
   * Inserts the batch's accounting row on the batch's connection; returns the latency it recorded,
   * from the records' Kafka timestamps to (nearly) the commit.
   */
  KafkaTimes.Latency insert(
      Connection c,
      String queryId,
      long batchId,
      BatchCounts counts,
      Watermarks watermarks,
      String dimensionsVersion,
      KafkaTimes kafkaTimes)
      throws SQLException {
    KafkaTimes.Latency latency;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + connections.schema()
                + ".pipeline_batches"
                + " (query_id, batch_id, job_name, records_read, events, duplicates, late, dead_lettered,"
                + " filtered, dead_by_reason, filtered_by_reason, late_threshold, watermark,"
                + " dimensions_version, latency_p50_ms, latency_p95_ms, latency_p99_ms,"
                + " latency_max_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, queryId);
      ps.setLong(2, batchId);
      ps.setString(3, connections.jobName());
      ps.setLong(4, counts.read());
      ps.setLong(5, counts.events());
      ps.setLong(6, counts.duplicates());
      ps.setLong(7, counts.late());
      ps.setLong(8, counts.dead());
      ps.setLong(9, counts.filtered());
      ps.setString(10, json(counts.deadByReason()));
      ps.setString(11, json(counts.filteredByReason()));
      ps.setTimestamp(12, new Timestamp(watermarks.lateThresholdMs()));
      ps.setTimestamp(13, new Timestamp(watermarks.currentMs()));
      ps.setString(14, dimensionsVersion);
      // The last statements before COMMIT: the latency is measured to (nearly) the commit.
      latency = kafkaTimes.latencyAt(System.currentTimeMillis());
      long[] ms = {latency.p50Ms(), latency.p95Ms(), latency.p99Ms(), latency.maxMs()};
      for (int i = 0; i < ms.length; i++) {
        if (latency.known()) {
          ps.setLong(15 + i, ms[i]);
        } else {
          ps.setNull(15 + i, java.sql.Types.BIGINT);
        }
      }
      ps.executeUpdate();
    }
    return latency;
  }

  /** See {@link PostgresSink#recordDroppedByWatermark}. */
  void recordDroppedByWatermark(String queryId, long batchId, long dropped) {
    try (Connection c = connections.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE "
                    + connections.schema()
                    + ".pipeline_batches SET spark_dropped_by_watermark = ?"
                    + " WHERE query_id = ? AND batch_id = ?")) {
      ps.setLong(1, dropped);
      ps.setString(2, queryId);
      ps.setLong(3, batchId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot record batch " + batchId + "'s watermark drops: " + e.getMessage(), e);
    }
  }

  /** See {@link PostgresSink#recentVolumes}. */
  List<Long> recentVolumes(String queryId, long batchId, int limit) throws SQLException {
    try (Connection c = connections.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT records_read FROM "
                    + connections.schema()
                    + ".pipeline_batches WHERE query_id = ? AND batch_id < ? AND records_read > 0"
                    + " ORDER BY batch_id DESC LIMIT ?")) {
      ps.setString(1, queryId);
      ps.setLong(2, batchId);
      ps.setInt(3, limit);
      List<Long> volumes = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          volumes.add(rs.getLong(1));
        }
      }
      return volumes;
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
