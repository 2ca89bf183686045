package dev.portcullis.operator.keys;

import dev.portcullis.api.Durations;
import dev.portcullis.api.key.Rotation;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.resolve.SnapshotResolver;
import dev.portcullis.operator.controller.EventRecorder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Mints, re-mints and rotates the key in a VirtualKey's Secret, and ends a previous key's grace.
 *
 * <ul>
 *   <li>The key is {@value #PREFIX} + 32 random bytes (256 bits) in URL-safe base64, so a leaked
 *       key is recognisable in logs and by secret scanners.
 *   <li>It is written to {@code data.apiKey} (base64) of the Secret {@code spec.secretName}, with
 *       an owner reference to the VirtualKey and labels. A Secret of that name that the VirtualKey
 *       does not own is never touched (the snapshot build leaves such a key out and status says
 *       why).
 *   <li>Rotation ({@code spec.rotation.every} after the last mint, or a new value of the annotation
 *       {@code portcullis.dev/rotate}) moves the current key to {@code previousApiKey} with the
 *       resolver's valid-until annotation, when there is a grace period, and writes a new key. When
 *       the grace period is over the previous key is removed; gateways stop taking it at that time
 *       anyway, by their own clock.
 * </ul>
 *
 * The Secret is read from the API server, not a cache, so a reconciliation right after a write
 * never mints twice; writes carry the resourceVersion read, so a concurrent change fails and is
 * retried rather than lost.
 */
public final class KeyMinter {
  public static final String PREFIX = "pc-";
  private static final int KEY_BYTES = 32;

  /**
   * What status shows about the key Secret.
   *
   * @param mintedAt when the current key was minted (RFC 3339), or null
   * @param previousValidUntil until when the previous key works, or null
   * @param recheckAfter when to look again (rotation due, grace over), or null
   */
  public record KeyState(String mintedAt, String previousValidUntil, Duration recheckAfter) {
    static final KeyState NONE = new KeyState(null, null, null);
  }

  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public KeyMinter(KubernetesClient client, EventRecorder events, Clock clock) {
    this.client = client;
    this.events = events;
    this.clock = clock;
  }

  public KeyState ensure(VirtualKey key) {
    String secretName = key.getSpec() == null ? null : key.getSpec().getSecretName();
    if (secretName == null || secretName.isBlank()) {
      return KeyState.NONE;
    }
    String namespace = key.getMetadata().getNamespace();
    Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    if (secret == null) {
      boolean before = key.getStatus() != null && key.getStatus().getRotatedAt() != null;
      Secret created =
          client
              .secrets()
              .inNamespace(namespace)
              .resource(newSecret(key, secretName, now))
              .create();
      events.record(
          key,
          before ? EventRecorder.WARNING : EventRecorder.NORMAL,
          before ? "KeyReminted" : "KeyMinted",
          before
              ? "Secret "
                  + secretName
                  + " was deleted; minted a new key into it (the old key no longer works)"
              : "minted a new key into Secret " + secretName + " (data key apiKey)");
      return state(key, created, now);
    }
    if (!KeySecrets.ownedBy(secret, key)) {
      return KeyState.NONE;
    }
    if (isBlank(data(secret, VirtualKey.SECRET_DATA_KEY))) {
      Secret updated = replaceKey(key, secret, now, null);
      events.record(
          key,
          EventRecorder.WARNING,
          "KeyReminted",
          "Secret " + secretName + " had no key under data key apiKey; minted a new one");
      return state(key, updated, now);
    }
    String rotateRequest =
        annotation(key.getMetadata().getAnnotations(), VirtualKey.ROTATE_ANNOTATION);
    String rotateHandled =
        annotation(secret.getMetadata().getAnnotations(), KeySecrets.ROTATION_HANDLED_ANNOTATION);
    boolean requested = rotateRequest != null && !rotateRequest.equals(rotateHandled);
    Instant due = rotationDue(key, secret);
    if (requested || (due != null && !due.isAfter(now))) {
      Duration grace = gracePeriod(key);
      Instant validUntil = grace.isZero() ? null : now.plus(grace);
      Secret updated = replaceKey(key, secret, now, validUntil);
      events.record(
          key,
          EventRecorder.NORMAL,
          "KeyRotated",
          (requested ? "rotated the key on request" : "rotated the key on schedule")
              + " in Secret "
              + secretName
              + (validUntil == null
                  ? "; the previous key stopped working (no grace period)"
                  : "; the previous key works until " + validUntil));
      return state(key, updated, now);
    }
    Instant previousUntil = previousValidUntil(secret);
    if (previousUntil != null && !previousUntil.isAfter(now)) {
      Secret updated = dropPrevious(secret);
      events.record(
          key,
          EventRecorder.NORMAL,
          "PreviousKeyExpired",
          "the grace period of the previous key ended; removed it from Secret " + secretName);
      return state(key, updated, now);
    }
    return state(key, secret, now);
  }

  private Secret newSecret(VirtualKey key, String name, Instant now) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(KeySecrets.MINTED_AT_ANNOTATION, now.toString());
    String rotate = annotation(key.getMetadata().getAnnotations(), VirtualKey.ROTATE_ANNOTATION);
    if (rotate != null) {
      annotations.put(KeySecrets.ROTATION_HANDLED_ANNOTATION, rotate);
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(key.getMetadata().getNamespace())
        .withLabels(KeySecrets.labels(key))
        .withAnnotations(annotations)
        .withOwnerReferences(KeySecrets.ownerReference(key))
        .endMetadata()
        .withType("Opaque")
        .withData(Map.of(VirtualKey.SECRET_DATA_KEY, encode(newKey())))
        .build();
  }

  /**
   * A new current key; with {@code previousValidUntil}, the current one becomes the previous key
   * until then, otherwise any previous key is dropped.
   */
  private Secret replaceKey(
      VirtualKey key, Secret secret, Instant now, Instant previousValidUntil) {
    Map<String, String> data =
        new HashMap<>(secret.getData() == null ? Map.of() : secret.getData());
    Map<String, String> annotations =
        new HashMap<>(
            secret.getMetadata().getAnnotations() == null
                ? Map.of()
                : secret.getMetadata().getAnnotations());
    String current = data.get(VirtualKey.SECRET_DATA_KEY);
    if (previousValidUntil != null && !isBlank(data(secret, VirtualKey.SECRET_DATA_KEY))) {
      data.put(SnapshotResolver.PREVIOUS_KEY_DATA_KEY, current);
      annotations.put(
          SnapshotResolver.PREVIOUS_KEY_VALID_UNTIL_ANNOTATION, previousValidUntil.toString());
    } else {
      data.remove(SnapshotResolver.PREVIOUS_KEY_DATA_KEY);
      annotations.remove(SnapshotResolver.PREVIOUS_KEY_VALID_UNTIL_ANNOTATION);
    }
    data.put(VirtualKey.SECRET_DATA_KEY, encode(newKey()));
    annotations.put(KeySecrets.MINTED_AT_ANNOTATION, now.toString());
    String rotate = annotation(key.getMetadata().getAnnotations(), VirtualKey.ROTATE_ANNOTATION);
    if (rotate != null) {
      annotations.put(KeySecrets.ROTATION_HANDLED_ANNOTATION, rotate);
    }
    Secret updated =
        new SecretBuilder(secret)
            .editMetadata()
            .withAnnotations(annotations)
            .endMetadata()
            .withData(data)
            .build();
    return client
        .secrets()
        .inNamespace(secret.getMetadata().getNamespace())
        .resource(updated)
        .update();
  }

  private Secret dropPrevious(Secret secret) {
    Map<String, String> data = new HashMap<>(secret.getData());
    data.remove(SnapshotResolver.PREVIOUS_KEY_DATA_KEY);
    Map<String, String> annotations = new HashMap<>(secret.getMetadata().getAnnotations());
    annotations.remove(SnapshotResolver.PREVIOUS_KEY_VALID_UNTIL_ANNOTATION);
    Secret updated =
        new SecretBuilder(secret)
            .editMetadata()
            .withAnnotations(annotations)
            .endMetadata()
            .withData(data)
            .build();
    return client
        .secrets()
        .inNamespace(secret.getMetadata().getNamespace())
        .resource(updated)
        .update();
  }

  private KeyState state(VirtualKey key, Secret secret, Instant now) {
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    String mintedAt = annotation(annotations, KeySecrets.MINTED_AT_ANNOTATION);
    Instant previousUntil =
        secret.getData() != null
                && secret.getData().containsKey(SnapshotResolver.PREVIOUS_KEY_DATA_KEY)
            ? previousValidUntil(secret)
            : null;
    Instant next = rotationDue(key, secret);
    if (previousUntil != null && (next == null || previousUntil.isBefore(next))) {
      next = previousUntil;
    }
    // A little past the moment, so the recheck never lands just before it.
    Duration recheck =
        next == null ? null : max(Duration.between(now, next), Duration.ZERO).plusMillis(200);
    return new KeyState(mintedAt, previousUntil == null ? null : previousUntil.toString(), recheck);
  }

  /** When the scheduled rotation is due, or null when there is no schedule. */
  private static Instant rotationDue(VirtualKey key, Secret secret) {
    Rotation rotation = key.getSpec().getRotation();
    if (rotation == null || rotation.getEvery() == null) {
      return null;
    }
    Instant minted =
        instant(annotation(secret.getMetadata().getAnnotations(), KeySecrets.MINTED_AT_ANNOTATION));
    if (minted == null) {
      minted = Instant.EPOCH; // minted by an older operator or by hand: rotate now
    }
    try {
      return minted.plus(Durations.parse(rotation.getEvery()));
    } catch (IllegalArgumentException e) {
      return null; // a spec problem; Accepted says so
    }
  }

  private static Duration gracePeriod(VirtualKey key) {
    Rotation rotation = key.getSpec().getRotation();
    if (rotation == null || rotation.getGracePeriod() == null) {
      return Duration.ZERO;
    }
    try {
      return Durations.parse(rotation.getGracePeriod());
    } catch (IllegalArgumentException e) {
      return Duration.ZERO;
    }
  }

  private static Instant previousValidUntil(Secret secret) {
    return instant(
        annotation(
            secret.getMetadata().getAnnotations(),
            SnapshotResolver.PREVIOUS_KEY_VALID_UNTIL_ANNOTATION));
  }

  private String newKey() {
    byte[] bytes = new byte[KEY_BYTES];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String data(Secret secret, String key) {
    String encoded = secret.getData() == null ? null : secret.getData().get(key);
    if (encoded == null) {
      return null;
    }
    try {
      return new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8).strip();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static String annotation(Map<String, String> annotations, String name) {
    return annotations == null ? null : annotations.get(name);
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
