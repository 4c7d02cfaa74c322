package io.webtraffic.ops;

import io.webtraffic.config.FaultPoint;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider;
import org.apache.spark.sql.execution.streaming.state.StateStore;
import org.apache.spark.sql.execution.streaming.state.StateStoreId;
import org.apache.spark.sql.execution.streaming.state.StateStoreMetrics;
import org.apache.spark.sql.execution.streaming.state.UnsafeRowPair;
import scala.collection.Iterator;

/**
 * The RocksDB state store with a crash point inside its commit, for {@link
 * FaultPoint#STATE_STORE_COMMIT}: partition 0 of the window operator halts the job right after its
 * new state version is durable, while the batch's other partitions may not have committed theirs.
 * Without fault injection configured it is the RocksDB store, unchanged.
 */
public class HaltingStateStoreProvider extends RocksDBStateStoreProvider {
  /** The window operator: the second stateful operator of the query. */
  static final long OPERATOR = 1;

  @Override
  public StateStore getStore(long version) {
    return new HaltingStore(super.getStore(version), stateStoreId());
  }

  private record HaltingStore(StateStore store, StateStoreId storeId) implements StateStore {
    @Override
    public long commit() {
      long version = store.commit();
      if (storeId.operatorId() == OPERATOR && storeId.partitionId() == 0) {
        // State version N + 1 is written by batch N.
        FaultInjection.at(FaultPoint.STATE_STORE_COMMIT, version - 1);
      }
      return version;
    }

    @Override
    public StateStoreId id() {
      return store.id();
    }

    @Override
    public long version() {
      return store.version();
    }

    @Override
    public UnsafeRow get(UnsafeRow key) {
      return store.get(key);
    }

    @Override
    public Iterator<UnsafeRowPair> prefixScan(UnsafeRow prefixKey) {
      return store.prefixScan(prefixKey);
    }

    @Override
    public Iterator<UnsafeRowPair> iterator() {
      return store.iterator();
    }

    @Override
    public void put(UnsafeRow key, UnsafeRow value) {
      store.put(key, value);
    }

    @Override
    public void remove(UnsafeRow key) {
      store.remove(key);
    }

    @Override
    public void abort() {
      store.abort();
    }

    @Override
    public StateStoreMetrics metrics() {
      return store.metrics();
    }

    @Override
    public boolean hasCommitted() {
      return store.hasCommitted();
    }
  }
}
