package io.webtraffic.sink;

import io.webtraffic.config.InvalidConfigException;
import io.webtraffic.config.PipelineConfig.IcebergSettings;
import io.webtraffic.config.PipelineConfig.PromotedField;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;

/**
 * Brings the schema of an existing table up to date: columns added since it was created, column
 * docs that changed meaning, and the columns of promoted fields. Metadata only, so an existing
 * warehouse keeps working without rewriting its files.
 */
final class IcebergSchemaUpdates {
  private final IcebergSettings settings;

  IcebergSchemaUpdates(IcebergSettings settings) {
    this.settings = settings;
  }

  /**
   * Adds the columns a table created by an older version lacks (new tables get them the same way,
   * right after creation), so an existing warehouse keeps working: old rows read them as null.
   */
  void addMissing(SparkSession spark, String table, List<String> columns) {
    Set<String> existing = Set.of(spark.table(settings.table(table)).columns());
    List<String> missing =
        columns.stream().filter(c -> !existing.contains(c.substring(0, c.indexOf(' ')))).toList();
    if (!missing.isEmpty()) {
      spark.sql(
          "ALTER TABLE "
              + settings.table(table)
              + " ADD COLUMNS (\n  "
              + String.join(",\n  ", missing)
              + ")");
    }
  }

  /** A table created when session_end was the last event says what the column means now. */
  void documentSessionEnd(SparkSession spark) {
    Table iceberg = IcebergTables.load(spark, settings.table(IcebergTables.SESSIONS));
    if (!IcebergColumns.SESSION_END_DOC.equals(iceberg.schema().findField("session_end").doc())) {
      iceberg
          .updateSchema()
          .updateColumnDoc("session_end", IcebergColumns.SESSION_END_DOC)
          .commit();
    }
  }

  /**
   * Adds a column per promoted field (metadata only: existing files are not rewritten, and their
   * rows read null).
   */
  void addPromotedFields(SparkSession spark, String table) {
    String name = settings.table(table);
    Table iceberg = IcebergTables.load(spark, name);
    for (PromotedField field : settings.promotedFields()) {
      Types.NestedField existing = iceberg.schema().findField(field.name());
      if (existing == null) {
        spark.sql(
            "ALTER TABLE "
                + name
                + " ADD COLUMN "
                + field.name()
                + " "
                + field.type()
                + " COMMENT 'promoted from the payload'");
      } else if (!SparkSchemaUtil.convert(existing.type())
          .sameType(DataType.fromDDL(field.type()))) {
        throw new InvalidConfigException(
            String.format(
                "Cannot promote field %s as %s: %s already has it as %s; a column's type cannot"
                    + " change on existing data (choose another name)",
                field.name(), field.type(), name, SparkSchemaUtil.convert(existing.type()).sql()));
      }
    }
  }
}
