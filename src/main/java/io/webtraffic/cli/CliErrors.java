package io.webtraffic.cli;

import io.webtraffic.config.InvalidConfigException;
import io.webtraffic.local.StackHint;
import io.webtraffic.ops.NoCommittedBatchException;
import io.webtraffic.quality.DataQualityStop;
import io.webtraffic.source.KafkaDataLoss;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns failures into one readable line for the user; the stack trace goes to the log only. */
final class CliErrors implements IExecutionExceptionHandler {
  /** Exit code when there is nothing to report yet: no checkpoint, or no committed batch. */
  static final int NO_POSITION = 3;

  /** Exit code when a data-quality check with action stop refused a batch. */
  static final int QUALITY_STOP = 4;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CliErrors.class);

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    if (e instanceof InvalidConfigException) {
      cmd.getErr().println("Invalid configuration: " + e.getMessage());
      return 2;
    }
    if (e instanceof NoCommittedBatchException) {
      cmd.getErr().println(e.getMessage());
      return NO_POSITION;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DataQualityStop stop) {
        LOG.debug("Stopped by a data-quality check", e);
        cmd.getErr().println("Stopped: " + stop.getMessage());
        return QUALITY_STOP;
      }
    }
    LOG.debug("Command failed", e);
    cmd.getErr()
        .println(
            "Failed: "
                + KafkaDataLoss.explain(e)
                    .or(() -> StackHint.explain(e))
                    .orElseGet(() -> message(e)));
    return 1;
  }

  /** The first line of the outermost message: ours say what could not be done and why. */
  static String message(Throwable e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    // Spark's parse errors start with an empty line.
    return (message == null ? t.getClass().getSimpleName() : message)
        .lines()
        .filter(line -> !line.isBlank())
        .findFirst()
        .orElse(t.getClass().getSimpleName())
        .strip();
  }
}
