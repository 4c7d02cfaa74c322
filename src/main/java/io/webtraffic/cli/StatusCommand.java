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
import picocli.CommandLine.Option;

/**
 * Where the job is: committed offsets per partition from its checkpoint, the end of each partition
 * in Kafka and the lag between them, the last batch and the watermark; also exports the position to
 * a file other systems read. Reads the checkpoint files directly, so it does not start Spark.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show where the job is: committed offsets, Kafka end offsets, lag per partition,",
      "last batch and watermark; and write the position file (default:",
      "<checkpoint>/../<job>-position.json).",
      "Exit codes: 0 ok, 3 no checkpoint or no committed batch yet."
    })
public final class StatusCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(
      names = "--position-file",
      paramLabel = "PATH",
      description = "Where to write the position (default: next to the checkpoint).")
  String positionFile;

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    CheckpointPosition position = CheckpointPosition.read(CheckpointFiles.of(config));
    // The position does not depend on Kafka: export it even if Kafka cannot be reached.
    String target = positionFile != null ? positionFile : PositionFile.defaultLocation(config);
    PositionFile.write(target, config, PositionFile.Position.of(config.jobName(), position));
    JobStatus status;
    try (KafkaAdmin kafka = KafkaAdmin.connect(config.kafka())) {
      status = JobStatus.of(config.jobName(), position, kafka, target);
    }
    System.out.print(json ? status.toJson() + System.lineSeparator() : status.toText());
    return 0;
  }
}
