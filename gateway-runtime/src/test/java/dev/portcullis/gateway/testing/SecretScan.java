package dev.portcullis.gateway.testing;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.KeyHashing;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.Gateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one secret-scan assertion of the end-to-end tests: nothing a gateway emitted — its log
 * records, what the process wrote to stdout/stderr, its access log, {@code /metrics}, {@code
 * /config}, the error bodies the test's clients got — holds a provider credential, a virtual key or
 * a virtual key's hash.
 *
 * <p>What counts as a secret is read from the gateways themselves: every credential and key hash in
 * each snapshot a watched gateway applied, plus anything a test names with {@link #secret}. Virtual
 * keys are found without being named: every token of the emitted text is hashed and compared with
 * the snapshots' key hashes, so a key made in a local variable is caught too.
 *
 * <p>{@link SecretScanExtension} (registered for every test class of this module through JUnit's
 * extension auto-detection) makes one scan per test class, watches every {@link Gateway} held in a
 * field of the test, captures logs and standard streams, and calls {@link #verify} after each test
 * and after the class. A test whose gateway lives in a local variable hands it over with {@link
 * #watching}; a test that runs a gateway as a process hands its output to {@link #observe}.
 */
public final class SecretScan {
  /** Shorter values (test stand-ins such as {@code "x"}) would match everywhere by chance. */
  static final int SHORTEST_SECRET = 8;

  /** Captured output kept per stream between two verifies (a test's logs are far smaller). */
  private static final int MAX_CAPTURE = 64 << 20;

  private static final Pattern TOKEN =
      Pattern.compile("[A-Za-z0-9._~+\\-]{" + SHORTEST_SECRET + ",}");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static volatile SecretScan current;

  private final Map<String, String> secrets = new LinkedHashMap<>();
  private final Set<String> keyHashes = new LinkedHashSet<>();
  private final Set<Gateway> gateways = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<Path, Long> accessLogOffsets = new LinkedHashMap<>();
  private final List<Emitted> pending = new ArrayList<>();
  private final Map<String, StringBuilder> streams = new LinkedHashMap<>();

  /** A piece of text the gateway (or a client of it) produced, and where it was seen. */
  record Emitted(String source, String text) {}

  /** The scan of the running test class; a fresh, unwatched one outside any test. */
  public static SecretScan current() {
    SecretScan scan = current;
    return scan != null ? scan : new SecretScan();
  }

  static void setCurrent(SecretScan scan) {
    current = scan;
  }

  /** Adds {@code gateway} to the current test's scan; returns it, for use inline. */
  public static Gateway watching(Gateway gateway) {
    current().watch(gateway);
    return gateway;
  }

  /** Hands a response body or a process's output to the current test's scan. */
  public static void observed(String source, String text) {
    current().observe(source, text);
  }

  /** Names a value no gateway output may contain (e.g. a key given to a gateway process). */
  public synchronized SecretScan secret(String description, String value) {
    if (value != null && value.length() >= SHORTEST_SECRET) {
      secrets.putIfAbsent(value, description);
      keyHashes.add(KeyHashing.sha256Hex(value));
    }
    return this;
  }

  /** Watches a gateway: its snapshots name secrets, its access log and admin pages are scanned. */
  public synchronized SecretScan watch(Gateway gateway) {
    if (gateways.add(gateway)) {
      learn(gateway);
      // A gateway closed inside the test (try-with-resources) is read once more while it drains.
      gateway.whenDrained(() -> readAdminPages(gateway));
    }
    return this;
  }

  private void readAdminPages(Gateway gateway) {
    String where = "gateway :" + gateway.port();
    String metrics = get(gateway, "/metrics");
    String config = get(gateway, "/config");
    synchronized (this) {
      learn(gateway);
      observe(where + " /metrics", metrics);
      observe(where + " /config", config);
    }
  }

  public synchronized SecretScan observe(String source, String text) {
    if (text != null && !text.isEmpty()) {
      pending.add(new Emitted(source, text));
    }
    return this;
  }

  /** Appends captured stream output (log records, stdout); kept until the next verify. */
  void append(String stream, String text) {
    // Its own lock: a gateway thread that logs while verify() waits on that gateway's admin port
    // must not wait for verify().
    synchronized (streams) {
      StringBuilder captured = streams.computeIfAbsent(stream, s -> new StringBuilder());
      if (captured.length() < MAX_CAPTURE) {
        captured.append(text);
      }
    }
  }

  /** Drops captured output of a class that has nothing to scan for (no gateway, no secret). */
  synchronized void discardCapture() {
    synchronized (streams) {
      streams.clear();
    }
    pending.clear();
  }

  /** Whether any gateway or secret is known: a test class without either is not scanned. */
  synchronized boolean active() {
    return !gateways.isEmpty() || !secrets.isEmpty();
  }

  /**
   * Reads what each watched gateway shows now ({@code /metrics}, {@code /config}, new access-log
   * lines) and its applied snapshot's secrets, then scans everything emitted since the last call.
   *
   * @throws AssertionError naming the secret's kind and where it was found (never the secret)
   */
  public synchronized void verify() {
    for (Gateway gateway : gateways) {
      if (gateway.adminPort() > 0) {
        readAdminPages(gateway);
      }
      readAccessLog(gateway);
    }
    synchronized (streams) {
      streams.forEach((name, text) -> pending.add(new Emitted(name, text.toString())));
      streams.clear();
    }
    List<Emitted> toScan = List.copyOf(pending);
    pending.clear();
    List<String> leaks = new ArrayList<>();
    for (Emitted emitted : toScan) {
      leaks.addAll(leaksIn(emitted));
    }
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          "secrets in what the gateway emitted (shown as <SECRET>):\n" + String.join("\n", leaks));
    }
  }

  private List<String> leaksIn(Emitted emitted) {
    List<String> leaks = new ArrayList<>();
    String text = emitted.text();
    for (Map.Entry<String, String> secret : secrets.entrySet()) {
      int at = text.indexOf(secret.getKey());
      if (at >= 0) {
        leaks.add(describe(emitted, secret.getValue(), at, secret.getKey().length()));
      }
    }
    Matcher token = TOKEN.matcher(text);
    while (token.find()) {
      // Keys sit inside longer tokens too ("Bearer.pc-…", "key=pc-…" has '=' as a separator).
      String value = token.group();
      if (keyHashes.contains(KeyHashing.sha256Hex(value)) && !secrets.containsKey(value)) {
        leaks.add(describe(emitted, "a virtual key", token.start(), value.length()));
      }
    }
    return leaks;
  }

  private static String describe(Emitted emitted, String what, int at, int length) {
    String text = emitted.text();
    int from = Math.max(0, at - 60);
    int to = Math.min(text.length(), at + length + 60);
    String context =
        (text.substring(from, at) + "<SECRET>" + text.substring(at + length, to))
            .replace('\n', ' ');
    return "- " + what + " in " + emitted.source() + ": …" + context + "…";
  }

  /** Secrets of the gateway's applied snapshot: credentials, key hashes. */
  private void learn(Gateway gateway) {
    Snapshot snapshot = gateway.appliedSnapshot();
    if (snapshot == null) {
      return;
    }
    for (RouteConfig route : snapshot.routes()) {
      for (TargetConfig target : route.targets()) {
        addSecret(
            "the provider credential of " + route.id().qualifiedName() + "/" + target.name(),
            target.apiKey());
      }
    }
    for (KeyConfig key : snapshot.keys()) {
      key.providerCredentials()
          .forEach(
              (provider, value) ->
                  addSecret(
                      "the " + provider + " credential of key " + key.id().qualifiedName(), value));
      for (KeyConfig.KeyHash hash : key.hashes()) {
        keyHashes.add(hash.sha256Hex());
        secrets.putIfAbsent(
            hash.sha256Hex(), "the hash of virtual key " + key.id().qualifiedName());
      }
    }
  }

  private void addSecret(String description, SecretValue value) {
    if (value != null && value.reveal().length() >= SHORTEST_SECRET) {
      secrets.putIfAbsent(value.reveal(), description);
    }
  }

  /** Values held by a test that hash to a virtual key: named as secrets, so substrings count. */
  synchronized void considerKeyCandidate(String value) {
    if (value != null
        && value.length() >= SHORTEST_SECRET
        && keyHashes.contains(KeyHashing.sha256Hex(value))) {
      secrets.putIfAbsent(value, "a virtual key the test holds");
    }
  }

  private void readAccessLog(Gateway gateway) {
    String destination = gateway.settings().telemetry().accessLog();
    if (destination.equals("stdout") || destination.equals("off")) {
      return; // stdout is captured with the process's other output
    }
    Path file = Path.of(destination);
    try {
      if (!Files.exists(file)) {
        return;
      }
      byte[] bytes = Files.readAllBytes(file);
      long from = accessLogOffsets.getOrDefault(file, 0L);
      if (bytes.length > from) {
        observe(
            "access log " + file.getFileName(),
            new String(bytes, (int) from, bytes.length - (int) from, StandardCharsets.UTF_8));
        accessLogOffsets.put(file, (long) bytes.length);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot read the access log " + file + ": " + e, e);
    }
  }

  private static String get(Gateway gateway, String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return null; // a stopped gateway: nothing more to read
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
