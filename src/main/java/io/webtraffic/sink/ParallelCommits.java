package io.webtraffic.sink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a batch's independent table commits side by side. The threads are made for the call, from
 * the stream thread, so they inherit its Spark local properties (query, batch and job group: a
 * stopping query cancels their jobs too). Every commit is waited for before anything is thrown, so
 * no commit is still running when the batch fails and is retried.
 */
final class ParallelCommits {
  private ParallelCommits() {}

  @SafeVarargs
  static List<Long> run(Callable<Long>... commits) {
    return run(Arrays.asList(commits));
  }

  /** The commits' results in order; the first failure, once all have ended. */
  static List<Long> run(List<Callable<Long>> commits) {
    if (commits.size() <= 1) {
      return commits.stream().map(ParallelCommits::callNow).toList();
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            commits.size(),
            r -> {
              Thread t = new Thread(r, "table-commit-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (Callable<Long> commit : commits) {
        futures.add(pool.submit(commit));
      }
      List<Long> results = new ArrayList<>();
      Throwable failure = null;
      for (Future<Long> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          failure = failure == null ? e.getCause() : failure;
          results.add(null);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure = failure == null ? e : failure;
          results.add(null);
        }
      }
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error err) {
        throw err;
      }
      if (failure != null) {
        throw new IllegalStateException(failure.getMessage(), failure);
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Long callNow(Callable<Long> commit) {
    try {
      return commit.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
