package io.webtraffic.ops;

import io.webtraffic.config.FaultPoint;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the job halt itself, as abruptly as {@code kill -9}, at one named point of one batch: the
 * precise crashes the recovery tests need. Off unless {@code fault-injection.halt-at} is set. The
 * setting travels in the Spark configuration so the same check works in the driver and in the
 * executors' state-store commits.
 */
public final class FaultInjection {
  /** The exit status of a halted job, distinct from Spark's and the CLI's own. */
  public static final int EXIT_CODE = 86;

  public static final String HALT_AT = "spark.webtraffic.fault.halt-at";
  public static final String BATCH = "spark.webtraffic.fault.batch";

  private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);

  private FaultInjection() {}

  /** Halts the JVM if the configuration asks for a crash at this point of this batch. */
  public static void at(FaultPoint point, long batchId) {
    SparkEnv env = SparkEnv.get();
    if (env == null) {
      return;
    }
    SparkConf conf = env.conf();
    if (point.configName().equals(conf.get(HALT_AT, "")) && batchId == conf.getLong(BATCH, -1)) {
      LOG.warn("Halting at {} in batch {} (fault injection)", point.configName(), batchId);
      Runtime.getRuntime().halt(EXIT_CODE);
    }
  }
}
