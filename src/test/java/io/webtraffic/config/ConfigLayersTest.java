package io.webtraffic.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigLayersTest {
  @Test
  void aMissingConfigFileIsNamed() {
    Path missing = Path.of("/nonexistent/job.conf");
    assertEquals(
        "Cannot read config file /nonexistent/job.conf: no such file",
        assertThrows(
                InvalidConfigException.class,
                () -> new ConfigLayers().merge(Optional.of(missing), Map.of(), Map.of()))
            .getMessage());
  }

  @Test
  void sparkExtraKeysAreFreeFormFromFlags() {
    Config merged =
        new ConfigLayers()
            .merge(Optional.empty(), Map.of(), Map.of("spark.extra.spark.executor.cores", "4"));
    assertEquals("4", merged.getConfig(ConfigLayers.FREE_FORM).getString("spark.executor.cores"));
  }

  @Test
  void onlyEnvironmentVariablesNamedAfterKnownKeysAreRead() {
    Config merged =
        new ConfigLayers()
            .merge(
                Optional.empty(),
                Map.of("PIPELINE_KAFKA_TOPICS", "ignored", "PIPELINE_JOB_NAME", "from-env"),
                Map.of());
    assertEquals("from-env", merged.getString("job-name"));
    assertFalse(merged.hasPath("kafka.topics"), "not a setting, so not read");
  }

  @Test
  void aSecretGivenAsAFlagNamesItsEnvironmentVariable() {
    assertEquals(
        "Cannot take kafka.sasl-password from flag --set kafka.sasl-password: secrets come from"
            + " the environment only (PIPELINE_KAFKA_SASL_PASSWORD)",
        assertThrows(
                InvalidConfigException.class,
                () ->
                    new ConfigLayers()
                        .merge(Optional.empty(), Map.of(), Map.of("kafka.sasl-password", "x")))
            .getMessage());
  }
}
