package dev.portcullis.gateway.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored answer: the complete answer in the client's format as JSON (the non-stream shape, even
 * when it arrived as a stream), with what the pipeline needs to answer from it without the
 * upstream.
 *
 * @param body the answer's JSON bytes, exactly as the client got them (or, for a stream, as {@link
 *     StreamAssembler} assembled them); never modified after construction
 * @param model the model that answered, as the answer names it
 * @param inputTokens input tokens the original answer used
 * @param outputTokens output tokens the original answer used
 * @param costUsd what the original answer cost; a hit costs 0 and records this as saved
 * @param storedAt when the answer was stored, for the {@code age} header
 */
public record CachedAnswer(
    byte[] body,
    String model,
    long inputTokens,
    long outputTokens,
    BigDecimal costUsd,
    Instant storedAt) {
  private static final int FORMAT_VERSION = 1;

  public CachedAnswer {
    Objects.requireNonNull(body, "body");
    model = model == null ? "" : model;
    costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
    Objects.requireNonNull(storedAt, "storedAt");
  }

  /**
   * The {@code age} header's value: whole seconds since the answer was stored (RFC 9111 §5.1),
   * never negative (clocks of a fleet differ slightly).
   */
  public long ageSeconds(Instant now) {
    return Math.max(0, Duration.between(storedAt, now).toSeconds());
  }

  /** Roughly what the entry occupies in memory; the in-process store is bounded by this. */
  public int weightBytes() {
    return body.length + 2 * model.length() + 96;
  }

  /** The entry as bytes for a shared store: a version, the fields, then the body. */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      out.writeUTF(model);
      out.writeLong(inputTokens);
      out.writeLong(outputTokens);
      out.writeUTF(costUsd.toPlainString());
      out.writeLong(storedAt.toEpochMilli());
      out.writeInt(body.length);
      out.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads what {@link #encode()} wrote.
   *
   * @throws IllegalArgumentException when the bytes are not an entry of this version (a store
   *     treats that as a miss)
   */
  public static CachedAnswer decode(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      int version = in.readUnsignedByte();
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException("unknown cache entry version " + version);
      }
      String model = in.readUTF();
      long input = in.readLong();
      long output = in.readLong();
      BigDecimal cost = new BigDecimal(in.readUTF());
      Instant storedAt = Instant.ofEpochMilli(in.readLong());
      int length = in.readInt();
      if (length < 0 || length > encoded.length) {
        throw new IllegalArgumentException("corrupt cache entry");
      }
      byte[] body = in.readNBytes(length);
      if (body.length != length) {
        throw new IllegalArgumentException("truncated cache entry");
      }
      return new CachedAnswer(body, model, input, output, cost, storedAt);
    } catch (IOException | NumberFormatException e) {
      throw new IllegalArgumentException("corrupt cache entry", e);
    }
  }

  @Override
  public String toString() {
    return "CachedAnswer[model="
        + model
        + ", bytes="
        + body.length
        + ", tokens="
        + inputTokens
        + "/"
        + outputTokens
        + ", storedAt="
        + storedAt
        + "]";
  }
}
