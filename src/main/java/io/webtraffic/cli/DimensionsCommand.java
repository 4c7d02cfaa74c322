package io.webtraffic.cli;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.enrich.DimensionLoader;
import io.webtraffic.enrich.Dimensions;
import io.webtraffic.sink.PostgresSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The side inputs' tables: {@code dimensions load} fills them from CSV files. */
@Command(
    name = "dimensions",
    mixinStandardHelpOptions = true,
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE},
    description = "Manage the enrichment's dimension tables (IP ranges, sites) in PostgreSQL.",
    subcommands = {DimensionsCommand.Load.class})
public final class DimensionsCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: load");
  }

  @Command(
      name = "load",
      mixinStandardHelpOptions = true,
      exitCodeListHeading = ExitCodes.HEADING,
      exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE},
      description =
          "Replace the rows of <schema>.ip_ranges and <schema>.sites with CSV files (by default"
              + " the sample dataset shipped with the project), in one transaction. A running job"
              + " picks them up within enrichment.refresh-interval.")
  static final class Load implements Callable<Integer> {
    static final String SAMPLE_IP_RANGES = "dimensions/ip_ranges.csv";
    static final String SAMPLE_SITES = "dimensions/sites.csv";

    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ConfigOptions options;

    @Option(
        names = "--ip-ranges",
        paramLabel = "CSV",
        description = "range_start,range_end,country,state,city with a header (IPv4 or IPv6).")
    Path ipRanges;

    @Option(
        names = "--sites",
        paramLabel = "CSV",
        description = "host,site_name,owner,environment with a header.")
    Path sites;

    @Override
    public Integer call() throws SQLException, IOException {
      PipelineConfig config = options.load();
      new PostgresSink(config.postgres(), config.jobName()).createTablesIfMissing();
      Properties p = new Properties();
      p.setProperty("user", config.postgres().user());
      config.postgres().password().ifPresent(pw -> p.setProperty("password", pw.value()));
      String schema = config.postgres().schema();
      try (Connection c = DriverManager.getConnection(config.postgres().url(), p);
          Reader ranges = open(ipRanges, SAMPLE_IP_RANGES);
          Reader hosts = open(sites, SAMPLE_SITES)) {
        Dimensions loaded = DimensionLoader.replace(c, schema, ranges, hosts);
        spec.commandLine()
            .getOut()
            .printf(
                "Loaded %d IP ranges into %s.ip_ranges and %d sites into %s.sites (version %s)%n",
                loaded.ipRanges().size(), schema, loaded.hosts().size(), schema, loaded.version());
      }
      return 0;
    }

    private static Reader open(Path file, String sample) throws IOException {
      if (file != null) {
        if (!Files.isRegularFile(file)) {
          throw new IOException("Cannot read " + file + ": no such file");
        }
        return Files.newBufferedReader(file, StandardCharsets.UTF_8);
      }
      InputStream in = DimensionsCommand.class.getClassLoader().getResourceAsStream(sample);
      if (in == null) {
        throw new IOException("Cannot find the sample dataset " + sample + " on the classpath");
      }
      return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
  }
}
