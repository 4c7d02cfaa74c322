package io.webtraffic.source;

import io.webtraffic.config.PipelineConfig.KafkaSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;

/** The Kafka topic as a stream of raw records (key, value, topic, partition, offset, timestamp). */
public final class KafkaSource {
  private final KafkaSettings settings;

  public KafkaSource(KafkaSettings settings) {
    this.settings = settings;
  }

  public Dataset<Row> read(SparkSession spark) {
    DataStreamReader reader = spark.readStream().format("kafka");
    options().forEach(reader::option);
    return reader.load();
  }

  /** The source options; the SASL secret goes into the JAAS line and nowhere else. */
  Map<String, String> options() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("kafka.bootstrap.servers", settings.bootstrapServers());
    o.put("subscribe", settings.topic());
    if (settings.startingPosition().isTimestamp()) {
      o.put(
          "startingTimestamp",
          String.valueOf(settings.startingPosition().timestamp().toEpochMilli()));
      // A partition with no record that recent starts at its end instead of failing the query.
      o.put("startingOffsetsByTimestampStrategy", "latest");
    } else {
      o.put("startingOffsets", settings.startingPosition().offsets());
    }
    o.put("failOnDataLoss", String.valueOf(settings.failOnDataLoss()));
    if (settings.maxOffsetsPerTrigger() > 0) {
      o.put("maxOffsetsPerTrigger", String.valueOf(settings.maxOffsetsPerTrigger()));
    }
    o.put("includeHeaders", "false");
    clientSecurity(settings).forEach((k, v) -> o.put("kafka." + k, v));
    return o;
  }

  /** Kafka client security settings, shared by the Spark source and the job's admin clients. */
  public static Map<String, String> clientSecurity(KafkaSettings settings) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("security.protocol", settings.securityProtocol());
    if (settings.securityProtocol().startsWith("SASL")) {
      String module =
          settings.saslMechanism().equals("PLAIN")
              ? "org.apache.kafka.common.security.plain.PlainLoginModule"
              : "org.apache.kafka.common.security.scram.ScramLoginModule";
      o.put("sasl.mechanism", settings.saslMechanism());
      o.put(
          "sasl.jaas.config",
          String.format(
              "%s required username=\"%s\" password=\"%s\";",
              module,
              jaasQuote(settings.saslUsername().orElseThrow().value()),
              jaasQuote(settings.saslPassword().orElseThrow().value())));
    }
    return o;
  }

  private static String jaasQuote(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
