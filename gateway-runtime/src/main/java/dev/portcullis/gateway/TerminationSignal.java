package dev.portcullis.gateway;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * Runs an action on the first SIGTERM instead of the JVM's default (shutdown hooks, then exit
 * status 143). The action runs on a thread of its own; later SIGTERMs are ignored while it runs, so
 * a second signal cannot cut the drain short. Where the signal cannot be handled (not a POSIX
 * platform) the JVM's default stays and the shutdown hook drains instead.
 */
final class TerminationSignal {
  private static final Logger LOG = Logger.getLogger(TerminationSignal.class.getName());

  private TerminationSignal() {}

  static void onTerm(Runnable action) {
    AtomicBoolean started = new AtomicBoolean();
    try {
      Signal.handle(
          new Signal("TERM"),
          signal -> {
            if (started.compareAndSet(false, true)) {
              Thread.ofPlatform().name("portcullis-sigterm").start(action);
            }
          });
    } catch (IllegalArgumentException e) {
      LOG.fine(() -> "SIGTERM is handled by the JVM here: " + e.getMessage());
    }
  }
}
