package io.webtraffic.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Dead-letters records whose text would be altered on the way to the sinks, so that every string
 * stored is byte for byte the one received:
 *
 * <ul>
 *   <li>{@code invalid_utf8}: the value is not valid UTF-8. Spark's JSON reader would replace the
 *       bad bytes with U+FFFD without a word.
 *   <li>{@code nul_character:<field>}: a string holds U+0000 (JSON {@code \u0000}), which a
 *       PostgreSQL {@code text} value cannot hold; COPY would fail the whole batch.
 *   <li>{@code unpaired_surrogate}: a JSON escape names half of a UTF-16 surrogate pair ({@code
 *       \ud800} alone), which has no UTF-8 form; Spark would store {@code ?} instead.
 * </ul>
 *
 * Invalid UTF-8 outranks the reasons {@link Decode} found (the bytes are wrong before any JSON is
 * read); the other two apply to records that are otherwise good.
 */
public final class TextIntegrity {
  public static final String INVALID_UTF8 = "invalid_utf8";
  public static final String NUL_PREFIX = "nul_character:";
  public static final String UNPAIRED_SURROGATE = "unpaired_surrogate";

  /** The strings that reach a sink, read from the event or derived from its user agent. */
  static final List<String> TEXT_FIELDS =
      List.of(
          "url",
          "referrer",
          "host",
          "ip",
          "event_id",
          "user_agent",
          "headers",
          "ua_family",
          "ua_major",
          "device_family",
          "os_family");

  /**
   * A {@code \\uD800}-{@code \\uDBFF} escape not followed by a low one, or a {@code \\uDC00}-{@code
   * \\uDFFF} escape not preceded by a high one; an escaped backslash before the u (an even run of
   * backslashes) is text, not an escape.
   */
  static final String UNPAIRED_ESCAPE =
      "(?:^|[^\\\\])(?:\\\\\\\\)*"
          + "(?:\\\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\\\u[dD][c-fC-F])"
          + "|(?<!\\\\u[dD][89abAB][0-9a-fA-F]{2})\\\\u[dD][c-fC-F][0-9a-fA-F]{2})";

  private static final UserDefinedFunction VALID_UTF8 =
      udf(
              (UDF1<byte[], Boolean>) bytes -> bytes == null || Utf8.isValid(bytes),
              DataTypes.BooleanType)
          .asNonNullable();

  /** Decoded and enriched rows in; the same rows, dead_reason set where text would be altered. */
  public Dataset<Row> apply(Dataset<Row> rows) {
    Column raw = col("raw_value");
    Column reason = col("dead_reason");
    Column notUtf8 = VALID_UTF8.apply(raw).equalTo(false);
    // Both checks below need an escape of the form backslash-u in the record: JSON writes U+0000
    // and lone surrogates no other way, and a user agent sent as text holds the escape that its own
    // parse turns into U+0000 only if the record escaped that backslash, itself with a backslash or
    // a backslash-u escape. So a record without one (nearly all) skips them, after one look at its
    // bytes.
    Column payload = raw.cast("string");
    Column checked =
        when(reason.equalTo(Decode.EMPTY_RECORD), reason)
            .when(notUtf8, lit(INVALID_UTF8))
            .when(reason.isNotNull(), reason)
            .when(not(payload.contains("\\u")), lit(null));
    for (String field : TEXT_FIELDS) {
      checked = checked.when(col(field).contains("\u0000"), lit(NUL_PREFIX + field));
    }
    checked = checked.when(payload.rlike(UNPAIRED_ESCAPE), lit(UNPAIRED_SURROGATE));
    return rows.withColumn("dead_reason", checked);
  }
}
