package dev.portcullis.gateway.testing;

/** Manifest text the standalone-mode tests write into their folders. */
public final class Manifests {
  private Manifests() {}

  /**
   * A VirtualKey {@code app} whose key is {@code key}, with its Secret {@code app-key}: two YAML
   * documents, ending with a newline (no trailing {@code ---}).
   */
  public static String appKey(String key) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: app-key}
        stringData: {apiKey: %s}
        ---
        apiVersion: portcullis.dev/v1alpha1
        kind: VirtualKey
        metadata: {name: app}
        spec: {secretName: app-key}
        """
        .formatted(key);
  }
}
