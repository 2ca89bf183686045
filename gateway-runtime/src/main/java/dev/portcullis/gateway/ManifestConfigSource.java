package dev.portcullis.gateway;

import dev.portcullis.api.fleet.NotEnforced;
import dev.portcullis.api.manifest.ManifestReader;
import dev.portcullis.api.manifest.ManifestSet;
import dev.portcullis.api.resolve.Resolution;
import dev.portcullis.api.resolve.SnapshotResolver;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.capability.Capabilities;
import dev.portcullis.gateway.state.SnapshotRejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Standalone mode: reads the resource YAML files (and Secrets) in a folder, resolves them into a
 * snapshot and applies it; then watches the folder. A change that reads and resolves cleanly
 * replaces the snapshot atomically; a change with any problem keeps the running snapshot and logs
 * each problem with its file and field.
 *
 * <p>Entries this gateway cannot enforce ({@link Gateway#capabilities()}, this build's {@link
 * Capabilities#ofThisBuild()}: a guardrail check type, prompt templates, a cache mode it does not
 * have) are loaded but fail closed, as in fleet mode: each is logged at load, and requests for such
 * a route are answered 503 naming what is missing.
 */
public final class ManifestConfigSource implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ManifestConfigSource.class.getName());
  private static final long DEBOUNCE_MS = 150;

  private final Path dir;
  private final Gateway gateway;
  private final WatchService watcher;
  private final Thread thread;
  private Set<String> acceptedProblems = Set.of();

  private ManifestConfigSource(Path dir, Gateway gateway) throws IOException {
    this.dir = dir;
    this.gateway = gateway;
    this.watcher = FileSystems.getDefault().newWatchService();
    registerTree(dir);
    this.thread =
        Thread.ofPlatform().daemon().name("portcullis-manifest-watch").unstarted(this::watch);
  }

  /**
   * Loads the folder once and starts watching it. On the first load, resources with problems are
   * left out (and logged) so one bad file does not keep the gateway from starting.
   */
  public static ManifestConfigSource start(Path dir, Gateway gateway) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("Manifest folder " + dir.toAbsolutePath() + " does not exist");
    }
    ManifestConfigSource source = new ManifestConfigSource(dir, gateway);
    source.load(true);
    source.thread.start();
    return source;
  }

  /** Reads, resolves and applies; returns whether a new snapshot was applied. */
  boolean load(boolean initial) {
    ManifestSet manifests;
    try {
      manifests = ManifestReader.readDirectory(dir);
    } catch (UncheckedIOException e) {
      LOG.warning("could not read " + dir + ": " + e.getCause().getMessage());
      return false;
    }
    Resolution resolution = SnapshotResolver.resolve(manifests.toResourceSet());
    Set<String> problems = new LinkedHashSet<>(manifests.describeProblems(resolution));
    List<String> fresh = problems.stream().filter(p -> !acceptedProblems.contains(p)).toList();
    fresh.forEach(p -> LOG.warning("manifest problem: " + p));
    if (!initial && !fresh.isEmpty()) {
      LOG.warning(
          "keeping configuration "
              + gateway.appliedVersion()
              + " because the changed manifests have "
              + fresh.size()
              + " new problem(s)");
      return false;
    }
    try {
      boolean applied = gateway.apply(resolution.snapshot());
      acceptedProblems = Set.copyOf(problems);
      if (applied) {
        logNotEnforced(resolution.snapshot());
      }
      return applied;
    } catch (SnapshotRejectedException e) {
      LOG.warning("configuration rejected, keeping the previous one: " + e.getMessage());
      return false;
    }
  }

  private void logNotEnforced(Snapshot snapshot) {
    for (NotEnforced e : gateway.capabilities().notEnforced(snapshot)) {
      LOG.warning(
          e.kind()
              + " "
              + e.name()
              + " is not enforced by this gateway ("
              + e.reason()
              + ")"
              + ("LLMRoute".equals(e.kind())
                  ? "; its requests are answered 503 until a build that enforces it runs"
                  : ""));
    }
  }

  private void watch() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        // Editors write in several steps; wait for the folder to settle before reloading.
        do {
          key.pollEvents();
          key.reset();
        } while ((key = watcher.poll(DEBOUNCE_MS, TimeUnit.MILLISECONDS)) != null);
        registerTree(dir);
        load(false);
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    } catch (IOException e) {
      LOG.warning("stopped watching " + dir + ": " + e.getMessage());
    }
  }

  private void registerTree(Path root) throws IOException {
    try (Stream<Path> dirs = Files.walk(root)) {
      for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
        d.register(
            watcher,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
    }
  }

  @Override
  public void close() throws IOException {
    watcher.close();
    thread.interrupt();
  }
}
