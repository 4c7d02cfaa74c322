package io.webtraffic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.SparkSessions;
import io.webtraffic.maintain.Maintenance;
import io.webtraffic.maintain.TableReport;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Iceberg housekeeping of the job's tables; safe beside the running job. */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE},
    header =
        "Compact closed partitions, rewrite manifests, expire old snapshots and remove orphan"
            + " files of the job's tables.",
    description = "Safe while the job runs. Settings: maintenance.* in the configuration.")
public final class MaintainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions options;
  @Mixin CheckpointOption checkpoint;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PipelineConfig config = options.load(checkpoint.flags());
    SparkSession spark = SparkSessions.create(config);
    try {
      List<TableReport> reports = new Maintenance(config).run(spark);
      if (json) {
        spec.commandLine()
            .getOut()
            .println(
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(reports));
      } else {
        reports.forEach(spec.commandLine().getOut()::println);
      }
      return 0;
    } finally {
      spark.stop();
    }
  }
}
