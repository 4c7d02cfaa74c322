package io.webtraffic.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.when;

import io.webtraffic.config.PipelineConfig.LimitSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Dead-letters records over the configured size limits, with the reason {@code over_limit:<key>}
 * naming the limit. A stranger's 1 MB URL must not reach the events table, the sessions state or
 * PostgreSQL, and cutting it short would store a value nobody sent, so the whole record goes to the
 * dead letters with its raw bytes.
 *
 * <p>The record-size limit outranks every reason {@link Decode} found (an oversized record is
 * oversized whatever else is wrong with it); the field limits apply to records that are otherwise
 * good.
 */
public final class RecordLimits {
  public static final String REASON_PREFIX = "over_limit:";

  private final LimitSettings limits;

  public RecordLimits(LimitSettings limits) {
    this.limits = limits;
  }

  /** Decoded rows in; the same rows, dead_reason set on the ones over a limit. */
  public Dataset<Row> apply(Dataset<Row> decoded) {
    Column reason =
        when(
                octet_length(col("raw_value")).gt(limits.maxRecordBytes()),
                lit(REASON_PREFIX + "max-record-bytes"))
            .when(col("dead_reason").isNotNull(), col("dead_reason"));
    for (Map.Entry<String, Column> limit : fieldLimits().entrySet()) {
      reason = reason.when(limit.getValue(), lit(REASON_PREFIX + limit.getKey()));
    }
    return decoded.withColumn("dead_reason", reason);
  }

  /** Limit key to "this row's field is over it", in the order they are checked. */
  private Map<String, Column> fieldLimits() {
    Map<String, Column> checks = new LinkedHashMap<>();
    checks.put("max-url-length", longerThan(col("url"), limits.maxUrlLength()));
    checks.put("max-referrer-length", longerThan(col("referrer"), limits.maxReferrerLength()));
    checks.put("max-host-length", longerThan(col("host"), limits.maxHostLength()));
    checks.put("max-ip-length", longerThan(col("ip"), limits.maxIpLength()));
    checks.put("max-event-id-length", longerThan(col("event_id"), limits.maxEventIdLength()));
    checks.put("max-user-agent-length", longerThan(col("user_agent"), limits.maxUserAgentLength()));
    checks.put("max-header-bytes", octet_length(col("headers")).gt(limits.maxHeaderBytes()));
    return checks;
  }

  /**
   * More than {@code max} characters. A text has no more characters than bytes, so the characters
   * are only counted (a walk over the text) when its byte length, known at once, is over the limit.
   */
  static Column longerThan(Column text, int max) {
    return octet_length(text).gt(max).and(length(text).gt(max));
  }
}
