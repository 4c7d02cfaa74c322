package io.webtraffic.generate;

import java.util.SplittableRandom;

/**
 * Picks each record's kind against the settings' exclusive fractions; whatever they leave is VALID.
 */
final class KindChooser {
  private static final Kind[] SPECIAL = {
    Kind.DUPLICATE, Kind.LATE, Kind.MALFORMED, Kind.FUTURE, Kind.FILTERED
  };

  private final double[] upperBounds = new double[SPECIAL.length];
  private final double jitterFraction;
  private final SplittableRandom random;

  KindChooser(GeneratorSettings settings, SplittableRandom random) {
    double[] fractions = {
      settings.duplicateFraction(),
      settings.lateFraction(),
      settings.malformedFraction(),
      settings.futureFraction(),
      settings.filteredFraction()
    };
    double sum = 0;
    for (int i = 0; i < fractions.length; i++) {
      sum += fractions[i];
      upperBounds[i] = sum;
    }
    this.jitterFraction = settings.jitterFraction();
    this.random = random;
  }

  Kind next() {
    double draw = random.nextDouble();
    for (int i = 0; i < SPECIAL.length; i++) {
      if (draw < upperBounds[i]) {
        return SPECIAL[i];
      }
    }
    return Kind.VALID;
  }

  boolean nextJittered() {
    return random.nextDouble() < jitterFraction;
  }

  Malformation nextMalformation() {
    Malformation[] all = Malformation.values();
    return all[random.nextInt(all.length)];
  }
}
