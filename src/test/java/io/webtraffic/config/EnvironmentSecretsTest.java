package io.webtraffic.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentSecretsTest {
  @Test
  void anUnsetOrEmptyVariableIsNoSecret() {
    EnvironmentSecrets secrets = new EnvironmentSecrets(Map.of(ConfigLoader.ENV_SASL_USERNAME, ""));
    assertTrue(secrets.get(ConfigLoader.ENV_SASL_USERNAME).isEmpty());
    assertTrue(secrets.get(ConfigLoader.ENV_SASL_PASSWORD).isEmpty());
  }

  @Test
  void aSecretNeverPrints() {
    EnvironmentSecrets secrets =
        new EnvironmentSecrets(Map.of(ConfigLoader.ENV_POSTGRES_PASSWORD, "hunter2"));
    assertEquals("hunter2", secrets.get(ConfigLoader.ENV_POSTGRES_PASSWORD).orElseThrow().value());
    assertEquals("Optional[***]", String.valueOf(secrets.get(ConfigLoader.ENV_POSTGRES_PASSWORD)));
  }
}
