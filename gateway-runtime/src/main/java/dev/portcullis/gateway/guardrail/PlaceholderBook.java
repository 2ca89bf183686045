package dev.portcullis.gateway.guardrail;

import java.util.HashMap;
import java.util.Map;

/**
 * The placeholders of one request: each distinct value gets its own number per type ({@code
 * [EMAIL_1]}, {@code [EMAIL_2]}), and the same value always the same placeholder, on input and
 * output, in every text part and across stream chunks.
 */
final class PlaceholderBook {
  private final Map<String, Map<String, Integer>> numbers = new HashMap<>();

  synchronized String placeholder(String label, String value) {
    Map<String, Integer> ofLabel = numbers.computeIfAbsent(label, k -> new HashMap<>());
    int n = ofLabel.computeIfAbsent(value, v -> ofLabel.size() + 1);
    return "[" + label + "_" + n + "]";
  }
}
