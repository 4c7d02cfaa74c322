package io.webtraffic.sink;

import io.webtraffic.config.PipelineConfig.IcebergSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateProperties;

/**
 * Table properties for many small streaming commits, set on new and existing tables alike, so that
 * a change of setting reaches tables created before it.
 */
final class IcebergTableProperties {
  private final IcebergSettings settings;

  IcebergTableProperties(IcebergSettings settings) {
    this.settings = settings;
  }

  /**
   * The distribution mode is configurable: hash shuffles a batch's rows by partition so each
   * partition gets one file per batch; none writes from every task with fanout writers (no shuffle,
   * a file per task and partition).
   */
  Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("write.target-file-size-bytes", String.valueOf(settings.targetFileSizeBytes()));
    p.put("write.distribution-mode", settings.writeDistribution());
    p.put(
        "write.spark.fanout.enabled", String.valueOf(settings.writeDistribution().equals("none")));
    // Each batch writes a metadata file; keep the last 100 and delete older ones at commit.
    p.put("write.metadata.delete-after-commit.enabled", "true");
    p.put("write.metadata.previous-versions-max", "100");
    // The job, maintain and reconcile commit to the same tables: a commit that loses the race
    // re-applies itself on the new metadata instead of failing.
    p.put("commit.retry.num-retries", "10");
    p.put("commit.retry.min-wait-ms", "100");
    p.put("commit.retry.max-wait-ms", "10000");
    // Manifests merged as commits add them, so planning does not read one manifest per batch.
    p.put("commit.manifest-merge.enabled", "true");
    p.put("commit.manifest.min-count-to-merge", "50");
    return p;
  }

  /** Sets the properties whose value differs on the table, in one commit (none if all match). */
  void apply(Table iceberg) {
    Map<String, String> changed = new LinkedHashMap<>(properties());
    changed.entrySet().removeIf(e -> e.getValue().equals(iceberg.properties().get(e.getKey())));
    if (!changed.isEmpty()) {
      UpdateProperties update = iceberg.updateProperties();
      changed.forEach(update::set);
      update.commit();
    }
  }
}
