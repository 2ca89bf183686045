package dev.portcullis.operator.fleet;

import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.fleet.FleetAck;
import dev.portcullis.api.fleet.GatewayCapabilities;
import dev.portcullis.api.fleet.NotEnforced;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.operator.snapshot.SnapshotBuild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The gateways connected to this operator replica and which snapshot each one runs. It also keeps
 * the records of every version some gateway still runs, so status can tell whether a gateway runs a
 * resource as it is now.
 */
public final class Fleet {
  private static final Logger LOG = Logger.getLogger(Fleet.class.getName());

  /**
   * One gateway's state as status sees it.
   *
   * @param notEnforced the entries of the running version it cannot enforce (a capability it lacks)
   */
  public record Pod(
      String name,
      String runningVersion,
      String rejectedVersion,
      String rejection,
      List<NotEnforced> notEnforced) {
    public Pod {
      notEnforced = notEnforced == null ? List.of() : List.copyOf(notEnforced);
    }

    public Pod(String name, String runningVersion, String rejectedVersion, String rejection) {
      this(name, runningVersion, rejectedVersion, rejection, List.of());
    }
  }

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final FleetMessages messages = new FleetMessages();
  private final Map<String, Session> sessions = new HashMap<>();
  private final Map<String, Map<ResourceRef, Object>> recordsByVersion = new HashMap<>();
  private SnapshotBuild current;
  // Gateways connected to other operator replicas (RemoteFleet); none without leader election.
  private final Supplier<List<Pod>> remotePods;
  // Hears, per gateway that applied the served snapshot, the nanoseconds since it was offered.
  private volatile LongConsumer pushLatency = nanos -> {};

  /** A fleet of this replica's gateways only (no leader election). */
  public Fleet() {
    this(List::of);
  }

  /**
   * @param remotePods the gateways connected to other replicas, for {@link #allPods}
   */
  public Fleet(Supplier<List<Pod>> remotePods) {
    this.remotePods = remotePods;
  }

  /**
   * Calls {@code listener} after every change of the fleet (a new version served, a connect, a
   * disconnect, an acknowledgement), outside the fleet's lock. Status and the fleet-state ConfigMap
   * subscribe; the fleet knows nothing of either, so events flow one way.
   */
  public void subscribe(Runnable listener) {
    listeners.add(listener);
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }

  /**
   * Makes {@code build} the snapshot to serve and sends it to every connected gateway, unless its
   * version is already the one served.
   *
   * @return whether it was new
   */
  public boolean publish(SnapshotBuild build) {
    synchronized (this) {
      if (current != null && current.version().equals(build.version())) {
        return false;
      }
      current = build;
      recordsByVersion.put(build.version(), build.records());
      sessions.values().forEach(s -> s.offer(build));
      prune();
    }
    LOG.info(
        () ->
            "serving configuration "
                + build.version()
                + " ("
                + build.snapshot().routes().size()
                + " routes, "
                + build.snapshot().keys().size()
                + " keys)");
    changed();
    return true;
  }

  public SnapshotBuild current() {
    synchronized (this) {
      return current;
    }
  }

  /**
   * A gateway that announced nothing connected (for tests); see {@link #connect(String,
   * GatewayCapabilities)}.
   */
  public Session connect(String pod) {
    return connect(pod, GatewayCapabilities.BASELINE);
  }

  /**
   * A gateway connected, announcing what it enforces; a previous connection of the same pod is
   * closed.
   */
  public Session connect(String pod, GatewayCapabilities capabilities) {
    Session session = new Session(pod, capabilities);
    synchronized (this) {
      Session old = sessions.put(pod, session);
      if (old != null) {
        old.close();
        session.running = old.running;
        // Until it answers again (at once: it acknowledges the snapshot sent on connect), what it
        // cannot enforce of the version it runs follows from what it announced now.
        session.notEnforced = notEnforcedBy(capabilities, old.running);
      }
      if (current != null) {
        session.offer(current);
      }
    }
    LOG.info(() -> "gateway " + pod + " connected");
    changed();
    return session;
  }

  public void disconnect(Session session) {
    boolean removed;
    synchronized (this) {
      removed = sessions.remove(session.pod, session);
      session.close();
      prune();
    }
    if (removed) {
      LOG.info(() -> "gateway " + session.pod + " disconnected");
      changed();
    }
  }

  /** Ends every stream (the operator is stopping); gateways reconnect to another replica. */
  public void closeAll() {
    synchronized (this) {
      sessions.values().forEach(Session::close);
    }
  }

  /**
   * Where the config-push latency goes: for each gateway that applied a version, the nanoseconds
   * from offering it on that gateway's stream to its acknowledgement.
   */
  public void observePushLatency(LongConsumer nanos) {
    this.pushLatency = nanos;
  }

  /** Records a gateway's answer; answers from pods that are not connected are ignored. */
  public void acknowledge(FleetAck ack) {
    synchronized (this) {
      Session session = sessions.get(ack.pod());
      if (session == null || ack.version() == null) {
        return;
      }
      if (ack.applied()) {
        // A gateway that announced capabilities says what it cannot enforce; for one too old to
        // announce, the operator works it out from the baseline by the same rule.
        session.notEnforced =
            session.capabilities.version() >= 1
                ? ack.notEnforced()
                : notEnforcedBy(session.capabilities, ack.version());
        if (!ack.version().equals(session.running) && ack.version().equals(session.offered)) {
          pushLatency.accept(System.nanoTime() - session.offeredAtNanos);
        }
        session.running = ack.version();
        session.rejectedVersion = null;
        session.rejection = null;
      } else {
        session.rejectedVersion = ack.version();
        session.rejection = ack.reason() == null ? "no reason given" : ack.reason();
        // It still runs an older version, so the next message goes whole. When the refused
        // message was a delta, the version is sent once more, whole: a delta that does not fit
        // must not leave a gateway behind until the next change.
        boolean refusedDelta = ack.version().equals(session.sentAsDelta);
        session.forgetSent();
        if (refusedDelta && current != null && current.version().equals(ack.version())) {
          session.offer(current);
        }
      }
      prune();
    }
    if (!ack.applied()) {
      LOG.warning(
          () ->
              "gateway "
                  + ack.pod()
                  + " rejected configuration "
                  + ack.version()
                  + ": "
                  + ack.reason());
    }
    changed();
  }

  /**
   * The bytes to write to {@code session}'s stream for {@code next}: a delta from what was last
   * sent on it, or the whole snapshot. Called by the session's writer only.
   */
  public byte[] encode(Session session, SnapshotBuild next) {
    FleetMessages.Message message = messages.encode(session.sent, next);
    session.sentAsDelta = message.delta() ? next.version() : null;
    session.sent = next;
    return message.bytes();
  }

  /** The connected gateways, by name. */
  public List<Pod> pods() {
    synchronized (this) {
      List<Pod> pods = new ArrayList<>();
      new TreeMap<>(sessions)
          .values()
          .forEach(
              s ->
                  pods.add(
                      new Pod(s.pod, s.running, s.rejectedVersion, s.rejection, s.notEnforced)));
      return pods;
    }
  }

  /**
   * The whole fleet as status counts it: the gateways connected here, and those other replicas
   * report that are not connected here (this replica's own view of a pod wins), by name.
   */
  public List<Pod> allPods() {
    List<Pod> local = pods();
    List<Pod> remote = remotePods.get();
    if (remote.isEmpty()) {
      return local;
    }
    Map<String, Pod> all = new TreeMap<>();
    remote.forEach(p -> all.put(p.name(), p));
    local.forEach(p -> all.put(p.name(), p));
    return new ArrayList<>(all.values());
  }

  /** The records of a version some gateway runs or rejected, or of the current one. */
  public Map<ResourceRef, Object> records(String version) {
    synchronized (this) {
      return version == null ? Map.of() : recordsByVersion.getOrDefault(version, Map.of());
    }
  }

  /** The entries of {@code version} (as built here) that {@code capabilities} cannot enforce. */
  private List<NotEnforced> notEnforcedBy(GatewayCapabilities capabilities, String version) {
    Map<ResourceRef, Object> built = records(version);
    return capabilities.notEnforced(
        entries(built, RouteConfig.class),
        entries(built, GuardrailPolicyConfig.class),
        entries(built, PromptTemplateConfig.class));
  }

  private static <T> List<T> entries(Map<ResourceRef, Object> records, Class<T> type) {
    List<T> entries = new ArrayList<>();
    for (Object record : records.values()) {
      if (type.isInstance(record)) {
        entries.add(type.cast(record));
      }
    }
    return entries;
  }

  /** Drops the records of versions nobody runs, rejected or serves any more. */
  private void prune() {
    Set<String> needed = new HashSet<>();
    if (current != null) {
      needed.add(current.version());
    }
    for (Session s : sessions.values()) {
      needed.add(s.running);
      needed.add(s.rejectedVersion);
    }
    // Versions gateways of other replicas run: usually built here too, and status needs their
    // records. (A version this replica never built cannot be kept; see RemoteFleet.)
    for (Pod p : remotePods.get()) {
      needed.add(p.runningVersion());
      needed.add(p.rejectedVersion());
    }
    recordsByVersion.keySet().retainAll(needed);
  }

  /**
   * One gateway's connection: the newest snapshot it has not been sent yet, and the one sent last.
   * Older unsent versions are skipped: the next message is a delta from what was sent, or whole.
   */
  public static final class Session {
    final String pod;
    // what the gateway announced when it connected (BASELINE when it announced nothing)
    final GatewayCapabilities capabilities;
    private SnapshotBuild pending;
    // the last version written to this stream, the base of the next delta; null = send whole
    private volatile SnapshotBuild sent;
    // the version of the last message if it was a delta
    private volatile String sentAsDelta;
    private boolean closed;
    // the version offered last and when (System.nanoTime), for the push latency
    private volatile String offered;
    private volatile long offeredAtNanos;
    // guarded by the Fleet's lock
    String running;
    String rejectedVersion;
    String rejection;
    List<NotEnforced> notEnforced = List.of();

    Session(String pod, GatewayCapabilities capabilities) {
      this.pod = pod;
      this.capabilities = capabilities;
    }

    synchronized void offer(SnapshotBuild build) {
      pending = build;
      offered = build.version();
      offeredAtNanos = System.nanoTime();
      notifyAll();
    }

    void forgetSent() {
      sent = null;
      sentAsDelta = null;
    }

    synchronized void close() {
      closed = true;
      notifyAll();
    }

    /**
     * The next snapshot to send, or null when {@code heartbeat} passed without one (send a
     * heartbeat) or the session is closed (check {@link #isClosed}).
     */
    synchronized SnapshotBuild next(Duration heartbeat) throws InterruptedException {
      long deadline = System.nanoTime() + heartbeat.toNanos();
      while (pending == null && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        wait(Math.max(1, left / 1_000_000));
      }
      SnapshotBuild next = pending;
      pending = null;
      return closed ? null : next;
    }

    synchronized boolean isClosed() {
      return closed;
    }

    @Override
    public String toString() {
      return "Session[" + pod + "]";
    }
  }

  @Override
  public String toString() {
    return "Fleet" + pods();
  }
}
