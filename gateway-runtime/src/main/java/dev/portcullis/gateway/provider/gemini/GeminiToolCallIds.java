package dev.portcullis.gateway.provider.gemini;

import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Tool call ids handed to OpenAI clients for Gemini function calls. Gemini has no call ids of its
 * own (it pairs calls and responses by name) but newer models attach an opaque {@code
 * thoughtSignature} to a function call and reject the next turn unless it comes back. OpenAI
 * clients echo only the id, so the signature travels inside it, base64url-encoded so the id stays
 * within {@code [A-Za-z0-9_-]} (which Anthropic ids also require).
 */
final class GeminiToolCallIds {
  private static final String SIGNATURE_MARK = "_ts_";

  private GeminiToolCallIds() {}

  /** A fresh id, carrying {@code thoughtSignature} when Gemini sent one (may be null). */
  static String newId(String thoughtSignature) {
    String id = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    if (thoughtSignature == null || thoughtSignature.isEmpty()) {
      return id;
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(thoughtSignature);
    } catch (IllegalArgumentException notStandardBase64) {
      signature = Base64.getUrlDecoder().decode(thoughtSignature);
    }
    return id + SIGNATURE_MARK + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  /** The thought signature carried by an id this class made, in Gemini's base64 form. */
  static Optional<String> thoughtSignature(String id) {
    if (id == null) {
      return Optional.empty();
    }
    int mark = id.indexOf(SIGNATURE_MARK);
    if (mark < 0) {
      return Optional.empty();
    }
    try {
      byte[] signature =
          Base64.getUrlDecoder().decode(id.substring(mark + SIGNATURE_MARK.length()));
      return Optional.of(Base64.getEncoder().encodeToString(signature));
    } catch (IllegalArgumentException notOurs) {
      return Optional.empty();
    }
  }
}
