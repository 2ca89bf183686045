package dev.portcullis.gateway.cache;

/** Turns a sentence into a vector whose cosine with another says how alike their meanings are. */
public interface SentenceEmbedder {
  /** The embedding of {@code text}, normalized to length 1 (so cosine is the dot product). */
  float[] embed(String text);
}
