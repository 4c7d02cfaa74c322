package io.webtraffic.cli;

import io.webtraffic.generate.DurationText;
import io.webtraffic.generate.GeneratorSettings;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** The generator's traffic mix: which share of records exercises which path of the pipeline. */
final class TrafficMix {
  @Option(
      names = "--duplicate-fraction",
      paramLabel = "FRACTION",
      description = "Byte-identical re-sends of recent events (default: ${DEFAULT-VALUE}).")
  double duplicateFraction = GeneratorSettings.DUPLICATE_FRACTION_DEFAULT;

  @Option(
      names = "--jitter-fraction",
      paramLabel = "FRACTION",
      description = "Share of valid events that arrive out of order (default: ${DEFAULT-VALUE}).")
  double jitterFraction = GeneratorSettings.JITTER_FRACTION_DEFAULT;

  @Option(
      names = "--max-jitter",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How far out of order at most (default: 30s).")
  Duration maxJitter = GeneratorSettings.MAX_JITTER_DEFAULT;

  @Option(
      names = "--late-fraction",
      paramLabel = "FRACTION",
      description = "Events far behind the clock (default: ${DEFAULT-VALUE}).")
  double lateFraction = GeneratorSettings.LATE_FRACTION_DEFAULT;

  @Option(
      names = "--late-by",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How far behind (default: 1h).")
  Duration lateBy = GeneratorSettings.LATE_BY_DEFAULT;

  @Option(
      names = "--malformed-fraction",
      paramLabel = "FRACTION",
      description = "Records that cannot be decoded (default: ${DEFAULT-VALUE}).")
  double malformedFraction = GeneratorSettings.MALFORMED_FRACTION_DEFAULT;

  @Option(
      names = "--future-fraction",
      paramLabel = "FRACTION",
      description = "Events from skewed clocks, ahead of the clock (default: ${DEFAULT-VALUE}).")
  double futureFraction = GeneratorSettings.FUTURE_FRACTION_DEFAULT;

  @Option(
      names = "--future-by",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How far ahead (default: 1d).")
  Duration futureBy = GeneratorSettings.FUTURE_BY_DEFAULT;

  @Option(
      names = "--filtered-fraction",
      paramLabel = "FRACTION",
      description = "Static assets, health checks and bots (default: ${DEFAULT-VALUE}).")
  double filteredFraction = GeneratorSettings.FILTERED_FRACTION_DEFAULT;

  @Option(
      names = "--new-producer-fraction",
      paramLabel = "FRACTION",
      description = "Share in the newer producer shape (default: ${DEFAULT-VALUE}).")
  double newProducerFraction = GeneratorSettings.NEW_PRODUCER_FRACTION_DEFAULT;

  @Option(
      names = "--hosts",
      paramLabel = "HOST",
      split = ",",
      description =
          "Site host names, comma-separated (default: the four example-academy.io sites).")
  List<String> hosts = GeneratorSettings.HOSTS_DEFAULT;

  /** The options that regenerate the same records; {@code count} -1 leaves the amount out. */
  static String reproduce(GeneratorSettings s, long count) {
    return String.format(
        "--seed %d --start %s --rate %s%s --duplicate-fraction %s --jitter-fraction %s --max-jitter %s"
            + " --late-fraction %s --late-by %s --malformed-fraction %s --future-fraction %s --future-by %s"
            + " --filtered-fraction %s --new-producer-fraction %s --hosts %s",
        s.seed(),
        s.start(),
        s.ratePerSecond(),
        count < 0 ? "" : " --count " + count,
        s.duplicateFraction(),
        s.jitterFraction(),
        DurationText.format(s.maxJitter()),
        s.lateFraction(),
        DurationText.format(s.lateBy()),
        s.malformedFraction(),
        s.futureFraction(),
        DurationText.format(s.futureBy()),
        s.filteredFraction(),
        s.newProducerFraction(),
        String.join(",", s.hosts()));
  }

  /** Accepts 30s, 5m, 1h, 1d, 500ms or ISO-8601; picocli turns its exception into a usage error. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return DurationText.parse(value);
    }
  }
}
