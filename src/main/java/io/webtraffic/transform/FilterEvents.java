package io.webtraffic.transform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.when;

import io.webtraffic.config.PipelineConfig.FilterRules;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Names the rule that filters an event ({@code filter_reason}: static_asset, health_check, bot,
 * unknown_host), or null to keep it. Filtered events are counted by the job, never stored, so these
 * rules decide what the tables mean: keep them few and explicit.
 */
public final class FilterEvents {
  private final FilterRules rules;

  public FilterEvents(FilterRules rules) {
    this.rules = rules;
  }

  /** Needs the decoded columns and {@code ua_family}; dead records are never filtered. */
  public Dataset<Row> apply(Dataset<Row> events) {
    Column reason = when(col("dead_reason").isNotNull(), lit(null).cast("string"));
    if (!rules.staticAssetPattern().isEmpty()) {
      reason = reason.when(col("url").rlike(rules.staticAssetPattern()), lit("static_asset"));
    }
    if (!rules.healthCheckPaths().isEmpty()) {
      reason = reason.when(path().isin(rules.healthCheckPaths().toArray()), lit("health_check"));
    }
    if (!rules.botUserAgentPattern().isEmpty()) {
      reason =
          reason.when(
              coalesce(col("ua_family"), col("user_agent"), lit(""))
                  .rlike(rules.botUserAgentPattern()),
              lit("bot"));
    }
    List<String> hosts = rules.allowedHosts().stream().map(String::toLowerCase).toList();
    if (!hosts.isEmpty()) {
      reason = reason.when(not(lower(col("host")).isin(hosts.toArray())), lit("unknown_host"));
    }
    return events.withColumn("filter_reason", reason);
  }

  /** The URL without its query string, so /health?probe=1 is still a health check. */
  private static Column path() {
    return org.apache.spark.sql.functions.regexp_replace(col("url"), "\\?.*$", "");
  }

  private static Column not(Column c) {
    return org.apache.spark.sql.functions.not(c);
  }
}
