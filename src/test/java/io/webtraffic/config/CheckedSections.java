package io.webtraffic.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The defaults with a few flags over them, as the section readers receive them. */
final class CheckedSections {
  static final Path HOME = Path.of("/srv/webtraffic");

  private CheckedSections() {}

  static CheckedConfig withFlags(Map<String, String> flags) {
    return new CheckedConfig(new ConfigLayers().merge(Optional.empty(), Map.of(), flags), HOME);
  }
}
