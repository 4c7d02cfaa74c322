package io.webtraffic.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrderComparators;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Writes rows the driver already holds (sessions, count windows, closed windows: hundreds to tens
 * of thousands a batch) into an Iceberg table as one append, with Iceberg's own writers and no
 * Spark job: planning a Spark write of a local relation cost more driver time than writing the
 * rows. Columns are matched by name; a table column the rows lack is null.
 */
final class DriverRowsWriter {
  private DriverRowsWriter() {}

  /**
   * Writes and commits {@code rows}, each with the values of {@code constants} (e.g. the batch id),
   * under the snapshot properties in {@code summary}.
   */
  static void append(
      Table table,
      List<Row> rows,
      StructType rowSchema,
      Map<String, Object> constants,
      boolean tableOrdering,
      Map<String, String> summary) {
    Schema schema = table.schema();
    List<Record> records = new ArrayList<>(rows.size());
    for (Row row : rows) {
      Record r = record(schema, row, rowSchema);
      constants.forEach((name, v) -> r.setField(name, value(v, schema.findType(name))));
      records.add(r);
    }
    if (tableOrdering && table.sortOrder().isSorted()) {
      Comparator<StructLike> order = SortOrderComparators.forSchema(schema, table.sortOrder());
      InternalRecordWrapper left = new InternalRecordWrapper(schema.asStruct());
      InternalRecordWrapper right = new InternalRecordWrapper(schema.asStruct());
      records.sort((a, b) -> order.compare(left.wrap(a), right.wrap(b)));
    }
    AppendFiles append = table.newAppend();
    write(table, records).dataFiles().forEach(append::appendFile);
    summary.forEach(append::set);
    append.commit();
  }

  private static DataWriteResult write(Table table, List<Record> records) {
    FileFormat format =
        FileFormat.fromString(
            table
                .properties()
                .getOrDefault(
                    TableProperties.DEFAULT_FILE_FORMAT,
                    TableProperties.DEFAULT_FILE_FORMAT_DEFAULT));
    long targetSize =
        Long.parseLong(
            table
                .properties()
                .getOrDefault(
                    TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                    String.valueOf(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT)));
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 0, 0)
            .format(format)
            .operationId(UUID.randomUUID().toString())
            .build();
    FanoutDataWriter<Record> writer =
        new FanoutDataWriter<>(
            new GenericFileWriterFactory.Builder(table).dataFileFormat(format).build(),
            files,
            table.io(),
            targetSize);
    PartitionKey partition = new PartitionKey(table.spec(), table.schema());
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    try {
      try {
        for (Record r : records) {
          partition.partition(wrapper.wrap(r));
          writer.write(r, table.spec(), partition);
        }
      } finally {
        writer.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write rows to " + table.name(), e);
    }
    return writer.result();
  }

  private static Record record(Schema schema, Row row, StructType rowSchema) {
    GenericRecord record = GenericRecord.create(schema);
    List<String> names = List.of(rowSchema.fieldNames());
    for (Types.NestedField field : schema.columns()) {
      int i = names.indexOf(field.name());
      if (i >= 0 && !row.isNullAt(i)) {
        record.setField(field.name(), value(row.get(i), field.type()));
      }
    }
    return record;
  }

  /** Spark's Java values as Iceberg's generic records hold them. */
  private static Object value(Object v, Type type) {
    return switch (type.typeId()) {
      case TIMESTAMP -> {
        Timestamp t = (Timestamp) v;
        yield ((Types.TimestampType) type).shouldAdjustToUTC()
            ? t.toInstant().atOffset(ZoneOffset.UTC)
            : t.toInstant().atOffset(ZoneOffset.UTC).toLocalDateTime();
      }
      case LONG -> ((Number) v).longValue();
      case INTEGER -> ((Number) v).intValue();
      case DOUBLE -> ((Number) v).doubleValue();
      default -> v;
    };
  }
}
