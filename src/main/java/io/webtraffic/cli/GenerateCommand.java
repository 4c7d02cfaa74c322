package io.webtraffic.cli;

import io.webtraffic.config.PipelineConfig.KafkaSettings;
import io.webtraffic.generate.DurationText;
import io.webtraffic.generate.EventGenerator;
import io.webtraffic.generate.GenerationSummary;
import io.webtraffic.generate.GeneratorSettings;
import io.webtraffic.generate.KafkaEventWriter;
import io.webtraffic.generate.KafkaWriteException;
import io.webtraffic.generate.Pacer;
import io.webtraffic.generate.SimulatedClock;
import io.webtraffic.generate.WriteControl;
import io.webtraffic.ops.StopSignals;
import io.webtraffic.source.KafkaSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Writes synthetic web-request events to Kafka: valid page views plus the duplicates, out-of-order,
 * late, malformed, future and filtered records the pipeline must handle. The run is reproducible
 * from its seed and start, which it prints; Ctrl-C (or SIGTERM) flushes, prints the summary and
 * exits 0.
 */
@Command(
    name = "generate",
    header = "Write synthetic web-request events to Kafka (Ctrl-C flushes and prints a summary).",
    description =
        "Kafka settings (bootstrap servers, topic, SASL) come from the configuration like"
            + " for every other command; --bootstrap-servers and --topic override them.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
      ExitCodes.OK,
      "1:failed: Kafka unreachable, topic missing, or a record not written",
      ExitCodes.MISUSE
    })
public final class GenerateCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);

  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Mixin ConfigOptions options;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description =
          "Kafka bootstrap servers; overrides kafka.bootstrap-servers of the configuration"
              + " (default there: 127.0.0.1:19092, or $PIPELINE_KAFKA_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      description = "Topic to write to; overrides kafka.topic (default there: web-events).")
  String topic;

  @Option(
      names = "--create-topic",
      paramLabel = "PARTITIONS",
      description =
          "Create the topic with PARTITIONS partitions if it does not exist (without it, a"
              + " missing topic is refused).")
  Integer createTopic;

  @Option(
      names = "--rate",
      paramLabel = "PER_SECOND",
      description =
          "Events per simulated second, and per real second unless --no-pacing (default: ${DEFAULT-VALUE}).")
  double rate = GeneratorSettings.RATE_DEFAULT;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Amount amount;

  /** How much to send; neither option means until stopped. */
  static final class Amount {
    @Option(names = "--count", paramLabel = "N", description = "Number of records to send.")
    Long count;

    @Option(
        names = "--duration",
        paramLabel = "DURATION",
        converter = TrafficMix.DurationConverter.class,
        description = "Simulated time to cover, e.g. 30s or 5m: rate x duration records.")
    Duration duration;
  }

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      description = "Seeds every random choice (default: ${DEFAULT-VALUE}).")
  long seed = GeneratorSettings.SEED_DEFAULT;

  @Option(
      names = "--start",
      paramLabel = "INSTANT",
      description = "Simulated time of the first record, e.g. 2026-11-20T10:00:00Z (default: now).")
  Instant start;

  @Option(
      names = "--replay",
      paramLabel = "DURATION",
      converter = TrafficMix.DurationConverter.class,
      description =
          "Start this far in the past (e.g. 12m) and catch up at --speed, then run live; records"
              + " are stamped with their send time.")
  Duration replay;

  @Option(
      names = "--speed",
      paramLabel = "FACTOR",
      description =
          "With --replay: simulated seconds per real second until caught up (default: ${DEFAULT-VALUE}).")
  double speed = 13;

  @Option(
      names = "--no-pacing",
      description = "Send as fast as possible; simulated times are unchanged.")
  boolean noPacing;

  @Mixin TrafficMix mix;

  @Override
  public Integer call() {
    GeneratorSettings settings = settings();
    KafkaSettings kafka = kafkaSettings();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Writing to topic %s at %s, %s%n  settings: %s%n",
        kafka.topic(), kafka.bootstrapServers(), pace(), TrafficMix.reproduce(settings, -1));
    try {
      GeneratorTopic.ensure(kafka, createTopic).ifPresent(out::println);
    } catch (MissingTopicException e) {
      spec.commandLine().getErr().println("Failed: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      LOG.debug("topic check failed", e);
      spec.commandLine()
          .getErr()
          .println(
              "Failed: Cannot write to Kafka at "
                  + kafka.bootstrapServers()
                  + ": "
                  + CliErrors.message(e));
      return 1;
    }
    try (StopSignals signals =
            StopSignals.install(() -> out.println("Stopping: flushing (Ctrl-C again to abort)"));
        KafkaEventWriter writer =
            new KafkaEventWriter(
                kafka.bootstrapServers(), kafka.topic(), KafkaSource.clientSecurity(kafka))) {
      Pacer pacer = pacer(settings);
      WriteControl control =
          new WriteControl(
              pacer, signals::requested, WriteControl.PROGRESS_EVERY_DEFAULT, out::println);
      GenerationSummary summary = writer.write(new EventGenerator(settings), control);
      out.print(summary.toTable());
      out.printf("Reproduce with: generate %s%n", TrafficMix.reproduce(settings, summary.total()));
      return 0;
    } catch (KafkaWriteException e) {
      LOG.debug("generate failed", e);
      if (e.sentBeforeFailure().total() > 0) {
        out.println(
            "Handed to the producer before the failure (the last ones may not be written):");
        out.print(e.sentBeforeFailure().toTable());
        out.flush();
      }
      spec.commandLine().getErr().println("Failed: " + e.getMessage());
      return 1;
    }
  }

  private String pace() {
    if (noPacing) {
      return "without pacing";
    }
    if (replay != null) {
      return String.format(
          "replaying the last %s at %s times real time (%s records/s), then live at %s records/s",
          DurationText.format(replay), speed, rate * speed, rate);
    }
    return "at " + rate + " records/s";
  }

  private Pacer pacer(GeneratorSettings settings) {
    if (noPacing) {
      return Pacer.unpaced();
    }
    try {
      return replay == null ? Pacer.atRate(rate) : Pacer.replaying(rate, speed, settings.start());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** The configuration's Kafka settings, with --bootstrap-servers and --topic on top. */
  private KafkaSettings kafkaSettings() {
    Map<String, String> flags = new LinkedHashMap<>();
    ConfigOptions.putIf(flags, "kafka.bootstrap-servers", bootstrapServers);
    ConfigOptions.putIf(flags, "kafka.topic", topic);
    if (createTopic != null && createTopic < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid --create-topic: " + createTopic + " (a number of partitions, at least 1)");
    }
    return options.load(flags).kafka();
  }

  private GeneratorSettings settings() {
    if (replay != null && (start != null || noPacing)) {
      throw new ParameterException(
          spec.commandLine(),
          "--replay sets the start and the pacing: drop --start and --no-pacing");
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant first = start != null ? start : replay != null ? now.minus(replay) : now;
    try {
      long count = GeneratorSettings.UNBOUNDED;
      if (amount != null && amount.count != null) {
        count = amount.count;
      } else if (amount != null && amount.duration != null) {
        count = new SimulatedClock(first, rate).recordsWithin(amount.duration.toNanos());
      }
      return GeneratorSettings.builder()
          .seed(seed)
          .count(count)
          .ratePerSecond(rate)
          .start(first)
          .duplicateFraction(mix.duplicateFraction)
          .jitterFraction(mix.jitterFraction)
          .maxJitter(mix.maxJitter)
          .lateFraction(mix.lateFraction)
          .lateBy(mix.lateBy)
          .malformedFraction(mix.malformedFraction)
          .futureFraction(mix.futureFraction)
          .futureBy(mix.futureBy)
          .filteredFraction(mix.filteredFraction)
          .newProducerFraction(mix.newProducerFraction)
          .hosts(mix.hosts)
          .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
