package io.webtraffic.local;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a KRaft log directory once, as {@code kafka-storage.sh format} does. A formatted
 * directory is left alone so that topics and offsets survive restarts.
 */
final class KraftStorage {
  private static final Logger LOG = LoggerFactory.getLogger(KraftStorage.class);
  private static final String META_PROPERTIES = "meta.properties";

  private KraftStorage() {}

  static boolean isFormatted(Path logDir) {
    return Files.isRegularFile(logDir.resolve(META_PROPERTIES));
  }

  /**
   * Formats {@code logDir} (named in {@code configFile}) with a new cluster id unless it is
   * formatted already.
   */
  static void formatIfNeeded(Path configFile, Path logDir) {
    if (isFormatted(logDir)) {
      LOG.debug("Kafka storage in {} is already formatted", logDir);
      return;
    }
    String clusterId = Uuid.randomUuid().toString();
    // StorageTool is the one public entry point to the formatter in the kafka_2.12 jar;
    // --ignore-formatted
    // keeps a concurrent format from failing the start.
    String[] args = {
      "format", "--config", configFile.toString(), "--cluster-id", clusterId, "--ignore-formatted"
    };
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      exitCode = StorageTool.execute(args, out);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
    }
    String printed = output.toString(StandardCharsets.UTF_8).strip();
    if (exitCode != 0 || !isFormatted(logDir)) {
      throw new IllegalStateException(
          String.format(
              "Cannot format Kafka storage in %s: exit code %d, output: %s",
              logDir, exitCode, printed));
    }
    LOG.info("Formatted Kafka storage in {} with cluster id {}", logDir, clusterId);
    LOG.debug("Kafka storage tool: {}", printed);
  }
}
