package io.webtraffic.maintain;

import org.apache.iceberg.Table;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;

/**
 * Regroups the manifests of the current snapshot by partition: each streaming commit adds one, and
 * planning a query reads them all.
 */
final class RewriteManifests {
  private RewriteManifests() {}

  /** Manifests replaced, manifests written. */
  record Result(int rewritten, int written) {}

  static Result run(SparkSession spark, Table table) {
    table.refresh();
    if (table.currentSnapshot() == null) {
      return new Result(0, 0);
    }
    var result = SparkActions.get(spark).rewriteManifests(table).execute();
    int rewritten = 0;
    for (var ignored : result.rewrittenManifests()) {
      rewritten++;
    }
    int written = 0;
    for (var ignored : result.addedManifests()) {
      written++;
    }
    return new Result(rewritten, written);
  }
}
