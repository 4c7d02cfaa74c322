package io.webtraffic.cli;

import io.webtraffic.ops.RewindMarker;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs the streaming job until it is stopped (or, with availableNow, until the topic is drained).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE, ExitCodes.QUALITY_STOP},
    description = "Run the streaming job: Kafka -> Iceberg + PostgreSQL, one line per micro-batch.")
public final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Mixin JobOptions job;

  @Override
  public Integer call() throws Exception {
    return JobRun.run(RewindMarker.apply(options.load(job.flags())));
  }
}
