package io.webtraffic.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ParallelCommitsTest {
  @Test
  void resultsComeBackInTheOrderOfTheCommits() {
    assertEquals(List.of(3L, 1L, 2L), ParallelCommits.run(() -> 3L, () -> 1L, () -> 2L));
    assertEquals(List.of(7L), ParallelCommits.run(() -> 7L));
    assertEquals(List.of(), ParallelCommits.run(List.of()));
  }

  @Test
  void theCommitsRunSideBySide() {
    // Each commit waits for the other: run one after the other, neither would ever finish.
    CountDownLatch both = new CountDownLatch(2);
    assertEquals(
        List.of(1L, 2L),
        ParallelCommits.run(
            () -> {
              both.countDown();
              return both.await(10, TimeUnit.SECONDS) ? 1L : -1L;
            },
            () -> {
              both.countDown();
              return both.await(10, TimeUnit.SECONDS) ? 2L : -2L;
            }));
  }

  @Test
  void aFailureIsThrownOnlyOnceEveryCommitHasEnded() {
    IllegalStateException boom = new IllegalStateException("cannot commit dead_letters");
    CountDownLatch failed = new CountDownLatch(1);
    AtomicBoolean slowOneFinished = new AtomicBoolean();
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                ParallelCommits.run(
                    () -> {
                      failed.countDown();
                      throw boom;
                    },
                    () -> {
                      // Still committing after the other failed: the call must wait for it.
                      failed.await(10, TimeUnit.SECONDS);
                      Thread.sleep(200);
                      slowOneFinished.set(true);
                      return 1L;
                    }));
    assertSame(boom, thrown);
    assertTrue(slowOneFinished.get(), "the failure was thrown before the other commit ended");
  }
}
