package io.webtraffic.quality;

import io.webtraffic.batch.BatchCounts;
import io.webtraffic.config.PipelineConfig.QualityAction;
import io.webtraffic.config.PipelineConfig.QualitySettings;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the data-quality checks on a classified batch's profile and counts before any sink commits.
 * A failed check with action warn is logged; one with action stop records every result of the batch
 * on its own (the batch's transaction will never happen) and throws {@link DataQualityStop}, which
 * fails the query before Iceberg, PostgreSQL or Spark's commit log hold anything of the batch.
 */
public final class QualityGate {
  private static final Logger LOG = LoggerFactory.getLogger(QualityGate.class);

  private final QualitySettings settings;
  private final QualityChecks checks;
  private final QualityLog postgres;

  public QualityGate(QualitySettings settings, QualityLog postgres) {
    this.settings = settings;
    this.checks = new QualityChecks(settings);
    this.postgres = postgres;
  }

  /** The batch's profile (also used for its latency) and its check results. */
  public record Verdict(BatchProfile profile, List<CheckResult> results) {}

  /** The fields whose null share is checked: the batch's profile counts their nulls. */
  public List<String> requiredFields() {
    return settings.requiredFields();
  }

  public Verdict check(BatchProfile profile, BatchCounts counts, String queryId, long batchId) {
    List<Long> recent =
        counts.read() == 0
            ? List.of()
            : postgres.recentVolumes(queryId, batchId, settings.volume().history());
    List<CheckResult> results = checks.evaluate(profile, counts, recent);
    for (CheckResult r : results) {
      if (!r.passed() && r.action() == QualityAction.WARN) {
        LOG.warn(
            "Batch {}: data-quality check {} failed: {} (allowed {}; {})",
            batchId,
            r.check(),
            r.shownValue(),
            r.threshold(),
            r.detail());
      }
    }
    List<CheckResult> stopping = results.stream().filter(CheckResult::stops).toList();
    if (!stopping.isEmpty()) {
      DataQualityStop stop = new DataQualityStop(batchId, stopping, postgres.qualityTable());
      try {
        postgres.recordQuality(queryId, batchId, results);
      } catch (RuntimeException e) {
        // The stop matters more than its row: the reason is in the log and the job's output.
        LOG.warn("Batch {}: the check results could not be recorded: {}", batchId, e.getMessage());
      }
      LOG.error("{}", stop.getMessage());
      throw stop;
    }
    return new Verdict(profile, results);
  }
}
