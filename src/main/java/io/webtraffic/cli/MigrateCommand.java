package io.webtraffic.cli;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.config.PipelineConfig.PostgresSettings;
import io.webtraffic.sink.PostgresSink;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Creates the job's PostgreSQL schema and tables as the migration role and grants the job's role
 * what it needs on them: the one step that needs more than reading and writing rows.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    header = "Create the job's PostgreSQL schema and tables and grant the job's role its rights.",
    description =
        "Creates the tables as postgres.migrate-user (password from"
            + " PIPELINE_POSTGRES_MIGRATE_PASSWORD) and grants postgres.user SELECT, INSERT,"
            + " UPDATE and DELETE on them. Idempotent: run it before the first run and after an"
            + " upgrade.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE})
public final class MigrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOptions options;

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    PostgresSettings pg = config.postgres();
    new PostgresSink(pg, config.jobName()).createTablesIfMissing();
    spec.commandLine()
        .getOut()
        .printf(
            "PostgreSQL schema %s at %s migrated as %s%s%n",
            pg.schema(),
            pg.url(),
            pg.migrateUser(),
            pg.migratesAtStart() ? "" : "; role " + pg.user() + " may read and write its tables");
    return 0;
  }
}
