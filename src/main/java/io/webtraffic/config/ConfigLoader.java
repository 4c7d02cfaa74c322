package io.webtraffic.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.webtraffic.config.PipelineConfig.EnrichmentSettings;
import io.webtraffic.config.PipelineConfig.FaultInjectionSettings;
import io.webtraffic.config.PipelineConfig.FilterRules;
import io.webtraffic.config.PipelineConfig.IcebergSettings;
import io.webtraffic.config.PipelineConfig.KafkaSettings;
import io.webtraffic.config.PipelineConfig.LimitSettings;
import io.webtraffic.config.PipelineConfig.MaintenanceSettings;
import io.webtraffic.config.PipelineConfig.PostgresSettings;
import io.webtraffic.config.PipelineConfig.PromotedField;
import io.webtraffic.config.PipelineConfig.Secret;
import io.webtraffic.config.PipelineConfig.SparkSettings;
import io.webtraffic.config.PipelineConfig.WindowSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Builds the one {@link PipelineConfig} from, highest precedence first: flags, environment
 * variables ({@code PIPELINE_} + key), the config file, and {@code pipeline-defaults.conf}. Keys
 * that the defaults do not know are rejected, secrets are accepted from the environment only, and
 * every value is validated here so that a bad setting stops the job before it starts.
 */
public final class ConfigLoader {
  public static final String DEFAULTS_RESOURCE = "pipeline-defaults.conf";
  public static final String ENV_PREFIX = "PIPELINE_";
  public static final String ENV_POSTGRES_PASSWORD = "PIPELINE_POSTGRES_PASSWORD";
  public static final String ENV_POSTGRES_MIGRATE_PASSWORD = "PIPELINE_POSTGRES_MIGRATE_PASSWORD";
  public static final String ENV_SASL_USERNAME = "PIPELINE_KAFKA_SASL_USERNAME";
  public static final String ENV_SASL_PASSWORD = "PIPELINE_KAFKA_SASL_PASSWORD";

  private static final String ROOT = "pipeline";

  /** Kafka's own default ceiling on a record (message.max.bytes is about 1 MiB), times 16. */
  static final long MAX_RECORD_BYTES = 16L * 1024 * 1024;

  private static final String FREE_FORM = "spark.extra";
  private static final Set<String> SECRET_KEYS =
      Set.of(
          "postgres.password",
          "postgres.migrate-password",
          "kafka.sasl-username",
          "kafka.sasl-password");

  /** An example value to replace, such as {@code <your-kafka:9092>} or {@code <path>}. */
  private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>\\s=]+>");

  /** Regular expressions, where {@code (?<name>...)} is a named group, not a placeholder. */
  private static final Set<String> REGEX_KEYS =
      Set.of("filter.static-asset-pattern", "filter.bot-user-agent-pattern");

  private final Config defaults;
  private final Set<String> knownKeys;
  private final Path home;

  private ConfigLoader(Path home) {
    this.defaults =
        ConfigFactory.parseResources(
                ConfigLoader.class.getClassLoader(),
                DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false))
            .resolve();
    this.knownKeys =
        defaults.getConfig(ROOT).entrySet().stream()
            .map(Map.Entry::getKey)
            .filter(k -> !k.startsWith(FREE_FORM + "."))
            .collect(Collectors.toUnmodifiableSet());
    this.home = home;
  }

  /**
   * Loads the configuration; relative paths resolve against {@code home} (the project folder).
   *
   * @param file the config file, if any
   * @param env environment variables (System.getenv() in production)
   * @param flags settings from the command line, keyed like the file without the "pipeline." prefix
   */
  public static PipelineConfig load(
      Optional<Path> file, Map<String, String> env, Map<String, String> flags, Path home) {
    return new ConfigLoader(home).build(file, env, flags);
  }

  private PipelineConfig build(
      Optional<Path> file, Map<String, String> env, Map<String, String> flags) {
    Config fromFile = file.map(this::parseFile).orElse(ConfigFactory.empty());
    Config fromEnv = overrides(envSettings(env), "environment variable ");
    Config fromFlags = overrides(flags, "flag --set ");
    Config merged =
        fromFlags.withFallback(fromEnv).withFallback(fromFile).withFallback(defaults).resolve();
    checkNoPlaceholders(merged.getConfig(ROOT));
    try {
      return toPipelineConfig(merged.getConfig(ROOT), env);
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw new InvalidConfigException(describe(e));
    }
  }

  private Config parseFile(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new InvalidConfigException("Cannot read config file " + path + ": no such file");
    }
    Config parsed;
    try {
      parsed =
          ConfigFactory.parseFile(
              path.toFile(),
              ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
    } catch (ConfigException e) {
      throw new InvalidConfigException("Cannot parse config file " + path + ": " + e.getMessage());
    }
    for (String key : parsed.entrySet().stream().map(Map.Entry::getKey).toList()) {
      checkKnown(
          key.startsWith(ROOT + ".") ? key.substring(ROOT.length() + 1) : key,
          "config file " + path + " key ");
    }
    return parsed;
  }

  /**
   * Environment variables named after known keys: kafka.bootstrap-servers is
   * PIPELINE_KAFKA_BOOTSTRAP_SERVERS.
   */
  private Map<String, String> envSettings(Map<String, String> env) {
    Map<String, String> settings = new TreeMap<>();
    for (String key : knownKeys) {
      String value = env.get(envName(key));
      if (value != null) {
        settings.put(key, value);
      }
    }
    return settings;
  }

  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase().replace('.', '_').replace('-', '_');
  }

  private Config overrides(Map<String, String> settings, String source) {
    Config config = ConfigFactory.empty();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      checkKnown(key, source);
      ConfigValue value =
          defaults.hasPath(ROOT + "." + key)
                  && defaults.getValue(ROOT + "." + key).valueType()
                      == com.typesafe.config.ConfigValueType.LIST
              ? ConfigValueFactory.fromIterable(splitList(e.getValue()))
              : ConfigValueFactory.fromAnyRef(e.getValue());
      config = config.withValue(ROOT + "." + key, value);
    }
    return config;
  }

  private static List<String> splitList(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private void checkKnown(String key, String source) {
    if (SECRET_KEYS.contains(key)) {
      throw new InvalidConfigException(
          String.format(
              "Cannot take %s from %s%s: secrets come from the environment only (%s)",
              key, source, key, envName(key)));
    }
    if (key.startsWith(FREE_FORM + ".") || key.equals(FREE_FORM)) {
      return;
    }
    if (!knownKeys.contains(key)) {
      throw new InvalidConfigException(
          String.format(
              "Unknown setting '%s' (from %s%s); known settings are listed in %s",
              key, source, key, DEFAULTS_RESOURCE));
    }
  }

  /**
   * The example files under conf/ mark what must change as {@code <placeholder>}. A value still
   * holding one would otherwise fail far from its cause (a DNS error for {@code <broker:9092>}, a
   * checkpoint written to a folder literally named {@code <path>}), so it stops the job here.
   */
  private static void checkNoPlaceholders(Config c) {
    List<String> found =
        c.entrySet().stream()
            .filter(e -> !REGEX_KEYS.contains(e.getKey()))
            .filter(e -> PLACEHOLDER.matcher(String.valueOf(e.getValue().unwrapped())).find())
            .map(
                e ->
                    String.format(
                        "%s.%s = '%s'%s",
                        ROOT,
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

  private PipelineConfig toPipelineConfig(Config c, Map<String, String> env) {
    KafkaSettings kafka =
        new KafkaSettings(
            nonEmpty(c, "kafka.bootstrap-servers"),
            nonEmpty(c, "kafka.topic"),
            StartingPosition.parse(c.getString("kafka.starting-position")),
            atLeast(c, "kafka.max-offsets-per-trigger", 0),
            c.getBoolean("kafka.fail-on-data-loss"),
            oneOf(c, "kafka.security-protocol", "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
            oneOf(c, "kafka.sasl-mechanism", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
            secret(env, ENV_SASL_USERNAME),
            secret(env, ENV_SASL_PASSWORD));
    if (kafka.securityProtocol().startsWith("SASL")
        && (kafka.saslUsername().isEmpty() || kafka.saslPassword().isEmpty())) {
      throw new InvalidConfigException(
          String.format(
              "Cannot use pipeline.kafka.security-protocol=%s without credentials: set %s and %s",
              kafka.securityProtocol(), ENV_SASL_USERNAME, ENV_SASL_PASSWORD));
    }
    FilterRules filter =
        new FilterRules(
            regex(c, "filter.static-asset-pattern"),
            c.getStringList("filter.health-check-paths"),
            regex(c, "filter.bot-user-agent-pattern"),
            c.getStringList("filter.allowed-hosts"));
    String url = nonEmpty(c, "postgres.url");
    if (!url.startsWith("jdbc:postgresql://")) {
      throw InvalidConfigException.invalid(
          "pipeline.postgres.url",
          url,
          "allowed: a PostgreSQL JDBC URL such as jdbc:postgresql://host:5432/db");
    }
    IcebergSettings iceberg = iceberg(c, url);
    String user = nonEmpty(c, "postgres.user");
    String migrateUser = c.getString("postgres.migrate-user").trim();
    PostgresSettings postgres =
        new PostgresSettings(
            url,
            user,
            secret(env, ENV_POSTGRES_PASSWORD),
            migrateUser.isEmpty() ? user : migrateUser,
            migrateUser.isEmpty() || migrateUser.equals(user)
                ? secret(env, ENV_POSTGRES_PASSWORD)
                : secret(env, ENV_POSTGRES_MIGRATE_PASSWORD),
            postgresSchema(c),
            c.getBoolean("postgres.upsert-events"),
            (int) atLeast(c, "postgres.commit-retries", 0),
            positive(c, "postgres.retry-backoff"));
    Map<String, String> extra = new LinkedHashMap<>();
    c.getConfig(FREE_FORM)
        .entrySet()
        .forEach(
            e -> extra.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped())));
    SparkSettings spark =
        new SparkSettings(
            nonEmpty(c, "spark.master"),
            (int) atLeast(c, "spark.shuffle-partitions", 1),
            oneOf(c, "spark.state-store", "rocksdb", "hdfs"),
            c.getBoolean("spark.ui-enabled"),
            (int) between(c, "spark.ui-port", 1, 65535),
            c.getBoolean("spark.metrics-enabled"),
            extra);
    return new PipelineConfig(
        nonEmpty(c, "job-name"),
        kafka,
        trigger(c.getString("trigger")),
        location(nonEmpty(c, "checkpoint-location")),
        positive(c, "event-time.watermark-delay"),
        positive(c, "event-time.max-future-skew"),
        limits(c),
        filter,
        windows(c),
        iceberg,
        postgres,
        spark,
        faultInjection(c, spark),
        maintenance(c),
        new EnrichmentSettings(positive(c, "enrichment.refresh-interval")),
        QualityConfig.read(c));
  }

  private IcebergSettings iceberg(Config c, String postgresUrl) {
    String type = oneOf(c, "iceberg.catalog-type", "hadoop", "jdbc", "rest");
    String uri = c.getString("iceberg.catalog-uri").trim();
    if (type.equals("jdbc") && uri.isEmpty()) {
      uri = postgresUrl;
    }
    if (type.equals("rest") && uri.isEmpty()) {
      throw InvalidConfigException.invalid(
          ROOT + ".iceberg.catalog-uri",
          "",
          "required when pipeline.iceberg.catalog-type is rest: the REST catalog's URL");
    }
    if (type.equals("jdbc") && !uri.startsWith("jdbc:")) {
      throw InvalidConfigException.invalid(
          ROOT + ".iceberg.catalog-uri",
          uri,
          "a jdbc catalog needs a JDBC URL such as jdbc:postgresql://host:5432/db, or empty for"
              + " the database of pipeline.postgres.url");
    }
    long targetFileSize = c.getBytes("iceberg.target-file-size");
    if (targetFileSize < 1024 * 1024) {
      throw InvalidConfigException.invalid(
          ROOT + ".iceberg.target-file-size",
          c.getValue("iceberg.target-file-size").unwrapped(),
          "must be at least 1 MB, e.g. '128 MB'");
    }
    return new IcebergSettings(
        identifier(c, "iceberg.catalog-name"),
        type,
        location(nonEmpty(c, "iceberg.warehouse")),
        uri,
        identifier(c, "iceberg.namespace"),
        oneOf(c, "iceberg.partition-by", "hour", "day"),
        targetFileSize,
        oneOf(c, "iceberg.write-distribution", "hash", "none"),
        promotedFields(c));
  }

  private static List<PromotedField> promotedFields(Config c) {
    String key = ROOT + ".iceberg.promoted-fields";
    List<PromotedField> fields = new java.util.ArrayList<>();
    for (String entry : c.getStringList("iceberg.promoted-fields")) {
      String[] parts = entry.trim().split("\\s*:\\s*");
      if (parts.length != 2
          || !parts[0].matches("[a-z_][a-z0-9_]*")
          || !PromotedField.TYPES.contains(parts[1])) {
        throw InvalidConfigException.invalid(
            key,
            entry,
            "allowed: name:type with a lower-case name and type one of "
                + String.join(", ", PromotedField.TYPES)
                + ", e.g. campaign:string");
      }
      if (io.webtraffic.sink.IcebergTables.eventTableColumns().contains(parts[0])
          || fields.stream().anyMatch(f -> f.name().equals(parts[0]))) {
        throw InvalidConfigException.invalid(
            key, entry, "the column " + parts[0] + " already exists in the events table");
      }
      fields.add(new PromotedField(parts[0], parts[1]));
    }
    return List.copyOf(fields);
  }

  private static MaintenanceSettings maintenance(Config c) {
    Duration orphanAge = positive(c, "maintenance.orphan-age");
    if (orphanAge.compareTo(Duration.ofHours(1)) < 0) {
      throw InvalidConfigException.invalid(
          ROOT + ".maintenance.orphan-age",
          c.getValue("maintenance.orphan-age").unwrapped(),
          "must be at least 1 hour: a younger unreferenced file may belong to a commit in"
              + " progress");
    }
    return new MaintenanceSettings(
        positive(c, "maintenance.snapshot-retention"),
        (int) atLeast(c, "maintenance.min-snapshots", 1),
        orphanAge,
        positive(c, "maintenance.closed-margin"),
        atLeast(c, "maintenance.every-batches", 0));
  }

  private static FaultInjectionSettings faultInjection(Config c, SparkSettings spark) {
    String haltAt = c.getString("fault-injection.halt-at").trim();
    if (haltAt.isEmpty()) {
      return new FaultInjectionSettings(Optional.empty(), -1);
    }
    if (!FaultPoint.configNames().contains(haltAt)) {
      throw InvalidConfigException.invalid(
          ROOT + ".fault-injection.halt-at",
          haltAt,
          "allowed: empty (off), or one of " + String.join(", ", FaultPoint.configNames()));
    }
    if (FaultPoint.fromConfigName(haltAt) == FaultPoint.STATE_STORE_COMMIT
        && !spark.stateStore().equals("rocksdb")) {
      throw InvalidConfigException.invalid(
          ROOT + ".fault-injection.halt-at", haltAt, "needs pipeline.spark.state-store = rocksdb");
    }
    return new FaultInjectionSettings(Optional.of(haltAt), atLeast(c, "fault-injection.batch", 0));
  }

  private static WindowSettings windows(Config c) {
    Duration slidingSize = positive(c, "windows.sliding-size");
    Duration slide = positive(c, "windows.sliding-slide");
    if (slide.compareTo(slidingSize) > 0) {
      throw InvalidConfigException.invalid(
          ROOT + ".windows.sliding-slide",
          c.getValue("windows.sliding-slide").unwrapped(),
          "must not exceed pipeline.windows.sliding-size ("
              + c.getValue("windows.sliding-size").unwrapped()
              + "); a slide equal to the size is a tumbling window");
    }
    List<String> countKey = c.getStringList("windows.count-key");
    if (countKey.isEmpty()
        || !WindowSettings.COUNT_KEY_FIELDS.containsAll(countKey)
        || countKey.stream().distinct().count() != countKey.size()) {
      throw InvalidConfigException.invalid(
          ROOT + ".windows.count-key",
          countKey,
          "allowed: one or more distinct fields of " + WindowSettings.COUNT_KEY_FIELDS);
    }
    return new WindowSettings(
        positive(c, "windows.tumbling-size"),
        slidingSize,
        slide,
        positive(c, "windows.session-gap"),
        atLeast(c, "windows.count-size", 1),
        countKey,
        positive(c, "windows.count-flush-after"));
  }

  private static LimitSettings limits(Config c) {
    return new LimitSettings(
        between(c, "limits.max-record-bytes", 1, MAX_RECORD_BYTES),
        (int) between(c, "limits.max-url-length", 1, MAX_RECORD_BYTES),
        (int) between(c, "limits.max-referrer-length", 1, MAX_RECORD_BYTES),
        (int) between(c, "limits.max-host-length", 1, MAX_RECORD_BYTES),
        (int) between(c, "limits.max-ip-length", 1, MAX_RECORD_BYTES),
        (int) between(c, "limits.max-user-agent-length", 1, MAX_RECORD_BYTES),
        (int) between(c, "limits.max-header-bytes", 1, MAX_RECORD_BYTES),
        (int) between(c, "limits.max-event-id-length", 1, MAX_RECORD_BYTES));
  }

  private static long between(Config c, String key, long min, long max) {
    long value = c.getLong(key);
    if (value < min || value > max) {
      throw InvalidConfigException.invalid(
          ROOT + "." + key, value, "must be between " + min + " and " + max);
    }
    return value;
  }

  static TriggerSetting trigger(String value) {
    if (value.trim().equals(TriggerSetting.AVAILABLE_NOW)) {
      return new TriggerSetting(true, Duration.ZERO);
    }
    Duration interval;
    try {
      interval = ConfigFactory.parseMap(Map.of("t", value)).getDuration("t");
    } catch (ConfigException e) {
      throw InvalidConfigException.invalid(
          "pipeline.trigger",
          value,
          "allowed: availableNow, or a processing-time interval such as '500 ms', '5 seconds',"
              + " '1 minute'; set with --trigger, PIPELINE_TRIGGER or trigger in the config file");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw InvalidConfigException.invalid("pipeline.trigger", value, "the interval must be > 0");
    }
    return new TriggerSetting(false, interval);
  }

  private String location(String value) {
    boolean hasScheme = value.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || value.startsWith("file:");
    if (hasScheme) {
      URI.create(value.replace(" ", "%20"));
      return value;
    }
    return home.resolve(value).toAbsolutePath().normalize().toString();
  }

  private static String nonEmpty(Config c, String key) {
    String value = c.getString(key).trim();
    if (value.isEmpty()) {
      throw InvalidConfigException.invalid(ROOT + "." + key, value, "must not be empty");
    }
    return value;
  }

  private static String identifier(Config c, String key) {
    String value = nonEmpty(c, key);
    if (!value.matches("[a-z_][a-z0-9_]*")) {
      throw InvalidConfigException.invalid(
          ROOT + "." + key,
          value,
          "allowed: lower-case letters, digits and '_', not starting with a digit");
    }
    return value;
  }

  private static String postgresSchema(Config c) {
    String schema = identifier(c, "postgres.schema");
    if (schema.startsWith("pg_")) {
      throw InvalidConfigException.invalid(
          ROOT + ".postgres.schema",
          schema,
          "the prefix pg_ is reserved for PostgreSQL's own schemas");
    }
    return schema;
  }

  private static String oneOf(Config c, String key, String... allowed) {
    String value = c.getString(key).trim();
    if (!Arrays.asList(allowed).contains(value)) {
      throw InvalidConfigException.invalid(
          ROOT + "." + key, value, "allowed: " + String.join(", ", allowed));
    }
    return value;
  }

  private static long atLeast(Config c, String key, long min) {
    long value = c.getLong(key);
    if (value < min) {
      throw InvalidConfigException.invalid(ROOT + "." + key, value, "must be >= " + min);
    }
    return value;
  }

  private static Duration positive(Config c, String key) {
    Duration value = c.getDuration(key);
    if (value.isNegative() || value.isZero()) {
      throw InvalidConfigException.invalid(
          ROOT + "." + key,
          c.getValue(key).unwrapped(),
          "must be a positive duration such as '10 minutes'");
    }
    return value;
  }

  private static String regex(Config c, String key) {
    String value = c.getString(key);
    try {
      Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      throw InvalidConfigException.invalid(
          ROOT + "." + key, value, "not a valid Java regular expression: " + e.getDescription());
    }
    return value;
  }

  private static Optional<Secret> secret(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(new Secret(value));
  }

  private static String describe(ConfigException e) {
    String origin = e.origin() == null ? "" : " (" + e.origin().description() + ")";
    String message = e.getMessage().replaceFirst("^.*?: ", "");
    return message + origin;
  }
}
