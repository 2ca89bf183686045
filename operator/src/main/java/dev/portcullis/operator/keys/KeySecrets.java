package dev.portcullis.operator.keys;

import dev.portcullis.api.key.VirtualKey;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;

/** What marks a Secret as the key Secret of one VirtualKey: owner reference and labels. */
public final class KeySecrets {
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "portcullis-operator";
  public static final String VIRTUAL_KEY_LABEL = "portcullis.dev/virtual-key";

  /** When the current key was minted (RFC 3339), for scheduled rotation. */
  public static final String MINTED_AT_ANNOTATION = "portcullis.dev/minted-at";

  /** The value of the VirtualKey's rotate annotation that the current key answered. */
  public static final String ROTATION_HANDLED_ANNOTATION = "portcullis.dev/rotate-handled";

  private KeySecrets() {}

  /** Whether {@code secret} carries an owner reference to exactly this VirtualKey (by uid). */
  public static boolean ownedBy(Secret secret, VirtualKey key) {
    String uid = key.getMetadata().getUid();
    List<OwnerReference> owners = secret.getMetadata().getOwnerReferences();
    return uid != null
        && owners != null
        && owners.stream()
            .anyMatch(o -> "VirtualKey".equals(o.getKind()) && uid.equals(o.getUid()));
  }

  public static OwnerReference ownerReference(VirtualKey key) {
    return new OwnerReferenceBuilder()
        .withApiVersion(key.getApiVersion())
        .withKind(key.getKind())
        .withName(key.getMetadata().getName())
        .withUid(key.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  public static Map<String, String> labels(VirtualKey key) {
    return Map.of(MANAGED_BY_LABEL, MANAGED_BY, VIRTUAL_KEY_LABEL, key.getMetadata().getName());
  }
}
