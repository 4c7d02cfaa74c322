package io.webtraffic.config;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The example files under conf/ mark what must change as {@code <placeholder>}. A value still
 * holding one would otherwise fail far from its cause (a DNS error for {@code <broker:9092>}, a
 * checkpoint written to a folder literally named {@code <path>}), so it stops the job here, with
 * every such key named at once.
 */
final class PlaceholderCheck {
  /** An example value to replace, such as {@code <your-kafka:9092>} or {@code <path>}. */
  private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>\\s=]+>");

  /** Regular expressions, where {@code (?<name>...)} is a named group, not a placeholder. */
  private static final Set<String> REGEX_KEYS =
      Set.of("filter.static-asset-pattern", "filter.bot-user-agent-pattern");

  private PlaceholderCheck() {}

  /**
   * @param c the merged {@code pipeline} section
   */
  static void check(Config c) {
    List<String> found =
        c.entrySet().stream()
            .filter(e -> !REGEX_KEYS.contains(e.getKey()))
            .filter(e -> PLACEHOLDER.matcher(String.valueOf(e.getValue().unwrapped())).find())
            .map(
                e ->
                    String.format(
                        "%s.%s = '%s'%s",
                        ConfigLayers.ROOT,
                        e.getKey(),
                        e.getValue().unwrapped(),
                        e.getValue().origin().filename() == null
                            ? ""
                            : " (" + e.getValue().origin().description() + ")"))
            .sorted()
            .toList();
    if (!found.isEmpty()) {
      throw new InvalidConfigException(
          "Cannot start with example placeholders still in the configuration: "
              + String.join(", ", found)
              + "; replace each <...> with the real value (in the config file, with the"
              + " PIPELINE_ environment variable or --set key=value)");
    }
  }
}
