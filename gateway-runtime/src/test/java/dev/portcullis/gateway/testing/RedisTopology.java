package dev.portcullis.gateway.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Real {@code redis-server} processes in the two high-availability layouts, on free ports under a
 * temporary directory, for tests that need them: a Redis Cluster of masters, and a master with
 * replicas watched by sentinels. {@link #close()} stops every process and deletes the directory.
 */
public final class RedisTopology implements AutoCloseable {
  private final Path dir;
  private final List<Node> nodes = new ArrayList<>();

  /** One {@code redis-server} (or sentinel) process. */
  public static final class Node {
    final int port;
    final List<String> command;
    java.lang.Process process;

    Node(int port, List<String> command) {
      this.port = port;
      this.command = command;
    }

    public int port() {
      return port;
    }

    public HostAndPort address() {
      return new HostAndPort("127.0.0.1", port);
    }

    /** Kills the process at once (SIGKILL), as a crashed node. */
    public void kill() throws InterruptedException {
      if (process != null) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        process = null;
      }
    }

    /**
     * Starts a killed data node again as a replica of {@code masterPort}, as an orchestrated
     * restart does after a failover (it asks the sentinels who the master is first): a node that
     * came back as an empty master could win the data back from the promoted replica.
     */
    public void restartAsReplicaOf(int masterPort) throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>(command);
      int i = cmd.indexOf("--replicaof");
      if (i >= 0) {
        cmd.subList(i, i + 3).clear();
      }
      cmd.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(masterPort)));
      start(new Node(port, cmd), this);
    }
  }

  private RedisTopology(Path dir) {
    this.dir = dir;
  }

  /** {@code masters} masters sharing the 16,384 slots, no replicas. */
  public static RedisTopology cluster(int masters) throws IOException, InterruptedException {
    assumeInstalled();
    RedisTopology t = new RedisTopology(Files.createTempDirectory("redis-cluster"));
    try {
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (int i = 0; i < masters; i++) {
        int port = freePort();
        Path nodeDir = Files.createDirectories(t.dir.resolve("n" + port));
        Node n =
            new Node(
                port,
                List.of(
                    "redis-server",
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--cluster-enabled",
                    "yes",
                    "--cluster-port",
                    Integer.toString(freePort()),
                    "--cluster-config-file",
                    nodeDir.resolve("nodes.conf").toString(),
                    "--dir",
                    nodeDir.toString()));
        start(n);
        t.nodes.add(n);
        create.add("127.0.0.1:" + port);
      }
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      run(create);
      waitFor(
          () -> t.nodes.stream().allMatch(n -> clusterOk(n.port)),
          "every node to report cluster_state:ok");
      return t;
    } catch (IOException | InterruptedException | RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /** A master, {@code replicas} replicas of it, and {@code sentinels} sentinels (quorum 2). */
  public static RedisTopology sentinel(String masterName, int replicas, int sentinels)
      throws IOException, InterruptedException {
    assumeInstalled();
    RedisTopology t = new RedisTopology(Files.createTempDirectory("redis-sentinel"));
    try {
      int masterPort = freePort();
      t.nodes.add(start(dataNode(t.dir, masterPort, null)));
      for (int i = 0; i < replicas; i++) {
        t.nodes.add(start(dataNode(t.dir, freePort(), masterPort)));
      }
      waitFor(
          () -> connectedReplicas(masterPort) >= replicas, "the replicas to connect to the master");
      for (int i = 0; i < sentinels; i++) {
        int port = freePort();
        Path conf = t.dir.resolve("sentinel-" + port + ".conf");
        Files.writeString(
            conf,
            String.join(
                "\n",
                "port " + port,
                "bind 127.0.0.1",
                "dir " + t.dir,
                "sentinel resolve-hostnames no",
                "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 2",
                "sentinel down-after-milliseconds " + masterName + " 1000",
                "sentinel failover-timeout " + masterName + " 5000",
                "sentinel parallel-syncs " + masterName + " 1",
                ""));
        t.nodes.add(start(new Node(port, List.of("redis-server", conf.toString(), "--sentinel"))));
      }
      return t;
    } catch (IOException | InterruptedException | RuntimeException e) {
      t.close();
      throw e;
    }
  }

  private static Node dataNode(Path dir, int port, Integer masterPort) throws IOException {
    // A replica's full sync writes an RDB file into --dir even without --save: keep it in ours.
    Path nodeDir = Files.createDirectories(dir.resolve("n" + port));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                nodeDir.toString()));
    if (masterPort != null) {
      cmd.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(masterPort)));
    }
    return new Node(port, cmd);
  }

  public List<Node> nodes() {
    return nodes;
  }

  /** The sentinel nodes (after the data nodes). */
  public List<Node> sentinels() {
    return nodes.stream().filter(n -> n.command.contains("--sentinel")).toList();
  }

  /** The data node listening on {@code port}. */
  public Node node(int port) {
    return nodes.stream().filter(n -> n.port == port).findFirst().orElseThrow();
  }

  /** {@code host:port,host:port} of the given nodes, for a URL. */
  public static String addresses(List<Node> nodes) {
    return String.join(",", nodes.stream().map(n -> "127.0.0.1:" + n.port).toList());
  }

  /** The port of the master the first sentinel currently names. */
  public int currentMasterPort(String masterName) {
    return masterPortSeenBy(sentinels().get(0), masterName);
  }

  /**
   * Waits until every sentinel names a master other than {@code oldPort}, and the same one; returns
   * its port.
   */
  public int awaitFailover(String masterName, int oldPort) throws InterruptedException {
    waitFor(
        () ->
            sentinels().stream()
                        .map(s -> masterPortSeenBy(s, masterName))
                        .distinct()
                        .toList()
                        .size()
                    == 1
                && currentMasterPort(masterName) != oldPort,
        "every sentinel to name the promoted replica");
    return currentMasterPort(masterName);
  }

  private static int masterPortSeenBy(Node sentinel, String masterName) {
    try (Jedis s = new Jedis("127.0.0.1", sentinel.port, 1000)) {
      List<String> addr = s.sentinelGetMasterAddrByName(masterName);
      return Integer.parseInt(addr.get(1));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  public static long connectedReplicas(int port) {
    try (Jedis jedis = new Jedis("127.0.0.1", port, 1000)) {
      String info = jedis.info("replication");
      for (String line : info.split("\r?\n")) {
        if (line.startsWith("connected_slaves:")) {
          return Long.parseLong(line.substring("connected_slaves:".length()).strip());
        }
      }
      return 0;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static boolean clusterOk(int port) {
    try (Jedis jedis = new Jedis("127.0.0.1", port, 1000)) {
      return jedis.clusterInfo().contains("cluster_state:ok");
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Polls until the condition holds, for at most 30 s. */
  public static void waitFor(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static void start(Node n, Node into) throws IOException, InterruptedException {
    into.process = start(n).process;
  }

  private static Node start(Node n) throws IOException, InterruptedException {
    n.process =
        new ProcessBuilder(n.command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    waitFor(() -> ping(n.port), "redis on port " + n.port);
    return n;
  }

  private static boolean ping(int port) {
    try (Jedis jedis = new Jedis("127.0.0.1", port, 500)) {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    java.lang.Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("failed: " + String.join(" ", command));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void assumeInstalled() {
    assumeTrue(onPath("redis-server") && onPath("redis-cli"), "redis-server is not installed");
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(File.pathSeparator)) {
      if (new File(d, program).canExecute()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws InterruptedException {
    for (Node n : nodes) {
      n.kill();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
