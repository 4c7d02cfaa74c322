package io.webtraffic.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a command says when the stack it needs is stopped: the real driver's refusal, explained. */
class StackHintTest {

  @Test
  void aRefusedPostgresOnThisMachineSaysHowToStartTheStack() throws Exception {
    int port = FreePorts.pick(); // nothing listens there
    SQLException refused =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres"));

    assertEquals(
        Optional.of(
            "PostgreSQL at 127.0.0.1:"
                + port
                + " refused the connection: is the stack running? Start it with `scripts/pipeline"
                + " stack start` (it keeps its data in .stack/), then run this command again"),
        StackHint.explain(new IllegalStateException("report failed", refused)));
  }

  @Test
  void otherFailuresAndOtherMachinesAreLeftAlone() {
    SQLException remote =
        new SQLException(
            "Connection to db.example.com:5432 refused.", "08001", new ConnectException("refused"));
    assertEquals(Optional.empty(), StackHint.explain(remote));
    assertEquals(Optional.empty(), StackHint.explain(new SQLException("permission denied")));
    assertEquals(Optional.empty(), StackHint.explain(new IllegalStateException("no cause")));
  }
}
