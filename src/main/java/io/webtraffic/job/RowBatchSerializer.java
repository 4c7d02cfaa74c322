package io.webtraffic.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.columnar.CachedBatch;
import org.apache.spark.sql.columnar.CachedBatchSerializer;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.Platform;
import scala.collection.Seq;
import scala.runtime.AbstractFunction2;

/**
 * Keeps a cached Dataset as Spark's own binary rows, a few MB of them per batch, instead of
 * columns. The job caches one thing, a micro-batch's outcomes ({@link MicroBatch}), written once
 * and read back two or three times whole: building column batches with their statistics and reading
 * them back through generated accessors cost more CPU than the reads ever saved (no batch is
 * skipped by statistics when every read wants every row). Set as {@code spark.sql.cache.serializer}
 * by {@link SparkSessions}.
 */
public final class RowBatchSerializer implements CachedBatchSerializer {
  /** Rows go into one batch until it holds about this many bytes. */
  static final int BATCH_BYTES = 4 << 20;

  /** Rows back to back, each its length then its bytes. */
  record RowBatch(int numRows, byte[] rows) implements CachedBatch, Serializable {
    @Override
    public long sizeInBytes() {
      return rows.length;
    }
  }

  @Override
  public boolean supportsColumnarInput(Seq<Attribute> schema) {
    return false;
  }

  @Override
  public RDD<CachedBatch> convertInternalRowToCachedBatch(
      RDD<InternalRow> input, Seq<Attribute> schema, StorageLevel storageLevel, SQLConf conf) {
    Seq<Expression> columns = asExpressions(schema);
    return input
        .toJavaRDD()
        .mapPartitions(rows -> new Batches(rows, () -> UnsafeProjection.create(columns, schema)))
        .rdd();
  }

  @Override
  public RDD<InternalRow> convertCachedBatchToInternalRow(
      RDD<CachedBatch> input,
      Seq<Attribute> cacheAttributes,
      Seq<Attribute> selectedAttributes,
      SQLConf conf) {
    int fields = cacheAttributes.size();
    boolean all = selectedAttributes.equals(cacheAttributes);
    Seq<Expression> selected = asExpressions(selectedAttributes);
    return input
        .toJavaRDD()
        .mapPartitions(
            batches -> {
              Iterator<InternalRow> rows = new Rows(batches, fields);
              if (all) {
                return rows;
              }
              UnsafeProjection projection = UnsafeProjection.create(selected, cacheAttributes);
              return new Iterator<InternalRow>() {
                @Override
                public boolean hasNext() {
                  return rows.hasNext();
                }

                @Override
                public InternalRow next() {
                  return projection.apply(rows.next());
                }
              };
            })
        .rdd();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Seq<Expression> asExpressions(Seq<Attribute> attributes) {
    return (Seq) attributes;
  }

  /** Every batch: the rows hold no statistics to skip one by. */
  @Override
  public scala.Function2<
          Object, scala.collection.Iterator<CachedBatch>, scala.collection.Iterator<CachedBatch>>
      buildFilter(Seq<Expression> predicates, Seq<Attribute> cachedAttributes) {
    return new AllBatches();
  }

  @Override
  public boolean supportsColumnarOutput(StructType schema) {
    return false;
  }

  @Override
  public RDD<CachedBatch> convertColumnarBatchToCachedBatch(
      RDD<ColumnarBatch> input, Seq<Attribute> schema, StorageLevel storageLevel, SQLConf conf) {
    throw new UnsupportedOperationException("Rows are kept as rows");
  }

  @Override
  public RDD<ColumnarBatch> convertCachedBatchToColumnarBatch(
      RDD<CachedBatch> input,
      Seq<Attribute> cacheAttributes,
      Seq<Attribute> selectedAttributes,
      SQLConf conf) {
    throw new UnsupportedOperationException("Rows are kept as rows");
  }

  private static final class AllBatches
      extends AbstractFunction2<
          Object, scala.collection.Iterator<CachedBatch>, scala.collection.Iterator<CachedBatch>>
      implements Serializable {
    @Override
    public scala.collection.Iterator<CachedBatch> apply(
        Object partition, scala.collection.Iterator<CachedBatch> batches) {
      return batches;
    }
  }

  /**
   * A partition's rows, packed into batches of about {@link #BATCH_BYTES}. The rows a plan hands
   * over are already binary as a rule; the projection for any other kind is generated only when one
   * comes (generating it costs milliseconds per task, most of a small batch's).
   */
  private static final class Batches implements Iterator<CachedBatch> {
    private final Iterator<InternalRow> rows;
    private final Supplier<UnsafeProjection> projection;
    private UnsafeProjection toUnsafe;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(BATCH_BYTES + 4096);
    private final byte[] length = new byte[4];
    private final byte[] copyBuffer = new byte[4096];

    Batches(Iterator<InternalRow> rows, Supplier<UnsafeProjection> projection) {
      this.rows = rows;
      this.projection = projection;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public CachedBatch next() {
      if (!rows.hasNext()) {
        throw new NoSuchElementException();
      }
      buffer.reset();
      int n = 0;
      while (rows.hasNext() && buffer.size() < BATCH_BYTES) {
        InternalRow row = rows.next();
        UnsafeRow unsafe = row instanceof UnsafeRow u ? u : toUnsafe(row);
        int size = unsafe.getSizeInBytes();
        Platform.putInt(length, Platform.BYTE_ARRAY_OFFSET, size);
        buffer.write(length, 0, 4);
        try {
          unsafe.writeToStream(buffer, copyBuffer);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        n++;
      }
      return new RowBatch(n, buffer.toByteArray());
    }

    private UnsafeRow toUnsafe(InternalRow row) {
      if (toUnsafe == null) {
        toUnsafe = projection.get();
      }
      return toUnsafe.apply(row);
    }
  }

  /** The rows of a partition's batches, one reused row pointing into each batch in turn. */
  private static final class Rows implements Iterator<InternalRow> {
    private final Iterator<CachedBatch> batches;
    private final UnsafeRow row;
    private byte[] bytes = new byte[0];
    private int offset;

    Rows(Iterator<CachedBatch> batches, int fields) {
      this.batches = batches;
      this.row = new UnsafeRow(fields);
    }

    @Override
    public boolean hasNext() {
      while (offset >= bytes.length) {
        if (!batches.hasNext()) {
          return false;
        }
        bytes = ((RowBatch) batches.next()).rows();
        offset = 0;
      }
      return true;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int size = Platform.getInt(bytes, Platform.BYTE_ARRAY_OFFSET + offset);
      row.pointTo(bytes, Platform.BYTE_ARRAY_OFFSET + offset + 4, size);
      offset += 4 + size;
      return row;
    }
  }
}
