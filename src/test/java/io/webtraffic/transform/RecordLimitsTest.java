package io.webtraffic.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.config.PipelineConfig.LimitSettings;
import io.webtraffic.testing.TestSpark;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The size limits on decoded rows: characters for field lengths, UTF-8 bytes for sizes. */
class RecordLimitsTest {
  static final StructType DECODED =
      new StructType()
          .add("raw_value", DataTypes.BinaryType)
          .add("url", DataTypes.StringType)
          .add("referrer", DataTypes.StringType)
          .add("host", DataTypes.StringType)
          .add("ip", DataTypes.StringType)
          .add("event_id", DataTypes.StringType)
          .add("user_agent", DataTypes.StringType)
          .add("headers", DataTypes.StringType)
          .add("dead_reason", DataTypes.StringType);

  /** Record bytes 40; url 5, referrer 6, host 4, ip 3 characters; user agent 8; headers 6 bytes. */
  static final LimitSettings LIMITS = new LimitSettings(40, 5, 6, 4, 3, 8, 6, 7);

  static Row row(String raw, String url, String host, String headers, String deadReason) {
    return RowFactory.create(
        raw == null ? null : raw.getBytes(StandardCharsets.UTF_8),
        url,
        null,
        host,
        "1.2",
        null,
        null,
        headers,
        deadReason);
  }

  static List<Object> reasons(Row... rows) {
    List<Object> reasons = new ArrayList<>();
    new RecordLimits(LIMITS)
        .apply(TestSpark.session().createDataFrame(Arrays.asList(rows), DECODED))
        .collectAsList()
        .forEach(r -> reasons.add(r.getAs("dead_reason")));
    return reasons;
  }

  @Test
  void aLengthCountsCharactersNotBytes() {
    assertEquals(
        Arrays.asList(
            null, // five two-byte characters: 10 bytes, 5 characters, at the limit
            "over_limit:max-url-length", // six of them
            "over_limit:max-url-length", // six one-byte characters
            null, // three four-byte characters: 12 bytes, 3 characters
            null), // no url at all
        reasons(
            row("{}", "ééééé", "h", null, null),
            row("{}", "éééééé", "h", null, null),
            row("{}", "abcdef", "h", null, null),
            row("{}", "😀😀😀", "h", null, null),
            row("{}", null, "h", null, null)));
  }

  @Test
  void aSizeCountsBytes() {
    assertEquals(
        Arrays.asList(null, "over_limit:max-header-bytes", "over_limit:max-host-length"),
        reasons(
            row("{}", "/", "h", "abcdef", null),
            row("{}", "/", "h", "ééé1", null), // 4 characters, 7 bytes
            row("{}", "/", "hhhhh", "abc", null)));
  }

  @Test
  void theRecordSizeOutranksEveryOtherReasonAndTheFieldLimitsOnlyApplyToGoodRecords() {
    String big = "x".repeat(41);
    assertEquals(
        Arrays.asList(
            "over_limit:max-record-bytes",
            "over_limit:max-record-bytes",
            "malformed_json",
            "over_limit:max-url-length"),
        reasons(
            row(big, "/", "h", null, null),
            row(big, "/", "h", null, "malformed_json"),
            row("{}", "abcdef", "h", null, "malformed_json"),
            row("{}", "abcdef", "hhhhh", null, null)));
  }
}
