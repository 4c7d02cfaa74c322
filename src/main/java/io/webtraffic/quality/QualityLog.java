package io.webtraffic.quality;

import java.util.List;

/**
 * Where the checks read a query's recent volumes and record a stopped batch's results: the
 * PostgreSQL sink in the job, so that the checks need not know it.
 */
public interface QualityLog {
  /** Records read by this query's latest batches before {@code batchId} that read any. */
  List<Long> recentVolumes(String queryId, long batchId, int limit);

  /** Records a batch's results outside any batch transaction (the batch is being stopped). */
  void recordQuality(String queryId, long batchId, List<CheckResult> results);

  /** The table the results land in, for the stop message. */
  String qualityTable();
}
