package io.webtraffic.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class GeneratorSettingsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    GeneratorSettings settings = GeneratorSettings.builder().build();

    assertEquals(42, settings.seed());
    assertTrue(settings.unbounded());
    assertEquals(100, settings.ratePerSecond());
    assertEquals(0.02, settings.duplicateFraction());
    assertEquals(0.1, settings.jitterFraction());
    assertEquals(Duration.ofSeconds(30), settings.maxJitter());
    assertEquals(0.002, settings.lateFraction());
    assertEquals(Duration.ofHours(1), settings.lateBy());
    assertEquals(0.01, settings.malformedFraction());
    assertEquals(0.001, settings.futureFraction());
    assertEquals(Duration.ofDays(1), settings.futureBy());
    assertEquals(0.05, settings.filteredFraction());
    assertEquals(0.5, settings.newProducerFraction());
    assertEquals(4, settings.hosts().size());
    assertEquals(1 - 0.02 - 0.002 - 0.01 - 0.001 - 0.05, settings.validFraction(), 1e-12);
  }

  @Test
  void rejectsFractionsOutsideZeroToOneNamingTheOption() {
    assertMessage(
        "Invalid duplicate-fraction: 1.5 (must be between 0 and 1)",
        () -> GeneratorSettings.builder().duplicateFraction(1.5).build());
    assertMessage(
        "Invalid jitter-fraction: -0.1 (must be between 0 and 1)",
        () -> GeneratorSettings.builder().jitterFraction(-0.1).build());
    assertMessage(
        "Invalid new-producer-fraction: NaN (must be between 0 and 1)",
        () -> GeneratorSettings.builder().newProducerFraction(Double.NaN).build());
    assertMessage(
        "Invalid filtered-fraction: 2.0 (must be between 0 and 1)",
        () -> GeneratorSettings.builder().filteredFraction(2).build());
  }

  @Test
  void rejectsExclusiveFractionsAddingUpToMoreThanOne() {
    assertMessage(
        "Invalid fractions: duplicate + late + malformed + future + filtered = 1.1 (must add up to at most 1)",
        () ->
            GeneratorSettings.builder()
                .onlyValid()
                .lateFraction(0.5)
                .filteredFraction(0.6)
                .build());
  }

  @Test
  void acceptsExclusiveFractionsAddingUpToExactlyOneDespiteRounding() {
    GeneratorSettings settings =
        GeneratorSettings.builder()
            .onlyValid()
            .duplicateFraction(0.1)
            .lateFraction(0.2)
            .filteredFraction(0.7)
            .build();

    assertEquals(0, settings.validFraction(), 1e-9);
  }

  @Test
  void jitterIsNotAnExclusiveKind() {
    GeneratorSettings settings =
        GeneratorSettings.builder().onlyValid().jitterFraction(1).filteredFraction(1).build();

    assertEquals(1, settings.jitterFraction());
  }

  @Test
  void rejectsRatesThatAreNotPositiveOrTooHigh() {
    assertMessage(
        "Invalid rate: 0.0 (must be > 0 and at most 1000000 events per second)",
        () -> GeneratorSettings.builder().ratePerSecond(0).build());
    assertMessage(
        "Invalid rate: -5.0 (must be > 0 and at most 1000000 events per second)",
        () -> GeneratorSettings.builder().ratePerSecond(-5).build());
    assertMessage(
        "Invalid rate: Infinity (must be > 0 and at most 1000000 events per second)",
        () -> GeneratorSettings.builder().ratePerSecond(Double.POSITIVE_INFINITY).build());
  }

  @Test
  void rejectsNegativeCountsOtherThanUnbounded() {
    assertMessage(
        "Invalid count: -2 (must be >= 0, or -1 for unbounded)",
        () -> GeneratorSettings.builder().count(-2).build());
    assertTrue(GeneratorSettings.builder().count(-1).build().unbounded());
  }

  @Test
  void rejectsDurationsShorterThanAMillisecond() {
    assertMessage(
        "Invalid max-jitter: PT0S (must be at least 1 ms)",
        () -> GeneratorSettings.builder().maxJitter(Duration.ZERO).build());
    assertMessage(
        "Invalid late-by: PT0.0005S (must be at least 1 ms)",
        () -> GeneratorSettings.builder().lateBy(Duration.ofNanos(500_000)).build());
    assertMessage(
        "Invalid future-by: PT-1S (must be at least 1 ms)",
        () -> GeneratorSettings.builder().futureBy(Duration.ofSeconds(-1)).build());
  }

  @Test
  void usesDurationsAtMillisecondPrecision() {
    GeneratorSettings settings =
        GeneratorSettings.builder().lateBy(Duration.ofNanos(1_500_999)).build();

    assertEquals(Duration.ofMillis(1), settings.lateBy());
  }

  @Test
  void rejectsMissingOrBlankHosts() {
    assertMessage(
        "Invalid hosts: [] (must name at least one host)",
        () -> GeneratorSettings.builder().hosts(List.of()).build());
    assertMessage(
        "Invalid hosts: [www.example-academy.io,  ] (host names must not be blank)",
        () -> GeneratorSettings.builder().hosts(List.of("www.example-academy.io", " ")).build());
  }

  @Test
  void rejectsAMissingStart() {
    assertMessage(
        "Invalid start: null (must be an instant)",
        () -> GeneratorSettings.builder().start(null).build());
  }

  @Test
  void toBuilderRoundTrips() {
    GeneratorSettings settings =
        GeneratorSettings.builder().seed(7).count(10).lateFraction(0.2).build();

    assertEquals(settings, settings.toBuilder().build());
  }

  private static void assertMessage(String expected, Executable build) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, build).getMessage());
  }
}
