package io.webtraffic.cli;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.ops.CheckpointFiles;
import io.webtraffic.ops.CheckpointPosition;
import io.webtraffic.ops.JobStatus;
import io.webtraffic.ops.PositionFile;
import io.webtraffic.source.KafkaAdmin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the job is: committed offsets per partition from its checkpoint, the end of each partition
 * in Kafka and the lag between them, the last batch and the watermark; also exports the position to
 * a file other systems read. Reads the checkpoint files directly, so it does not start Spark.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    header = "Show where the job is: committed offsets, Kafka end offsets and lag, watermark.",
    description =
        "Reads the checkpoint's offset and commit logs (no Spark): committed offsets,"
            + " Kafka end offsets and lag per partition, last batch and watermark. Also writes"
            + " the position file (default: <checkpoint>/../<job>-position.json).",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE, ExitCodes.NO_POSITION})
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions options;
  @Mixin CheckpointOption checkpoint;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(
      names = "--position-file",
      paramLabel = "PATH",
      description = "Where to write the position (default: next to the checkpoint).")
  String positionFile;

  @Override
  public Integer call() {
    PipelineConfig config = options.load(checkpoint.flags());
    CheckpointPosition position = CheckpointPosition.read(CheckpointFiles.of(config));
    // The position does not depend on Kafka: export it even if Kafka cannot be reached.
    String target = positionFile != null ? positionFile : PositionFile.defaultLocation(config);
    PositionFile.write(target, config, PositionFile.Position.of(config.jobName(), position));
    JobStatus status;
    try (KafkaAdmin kafka = KafkaAdmin.connect(config.kafka())) {
      status = JobStatus.of(config.jobName(), position, kafka, target);
    }
    spec.commandLine()
        .getOut()
        .print(json ? status.toJson() + System.lineSeparator() : status.toText());
    return 0;
  }
}
