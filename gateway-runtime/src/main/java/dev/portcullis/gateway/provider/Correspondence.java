package dev.portcullis.gateway.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the terms of one field correspond between two wire formats (stop reasons, error types, tool
 * choice modes), written once and read in both directions. Each {@linkplain Builder#pair pair} maps
 * both ways; an {@linkplain Builder#leftOnly alias} is a term only one side has, mapped to its
 * nearest term on the other side (and not back, since the other side cannot say it). A term neither
 * table knows maps to that side's default.
 *
 * <p>Because every pair is one entry, a translation and its reverse cannot drift apart: {@code
 * toLeft(toRight(a)) == a} holds for every left term of a pair, and the same from the right.
 *
 * @param name what the terms are, for messages (e.g. {@code "stop reason"})
 * @param pairs the terms both sides have, left then right
 * @param leftToRight every left term (pairs and left-only aliases) to its right term
 * @param rightToLeft every right term (pairs and right-only aliases) to its left term
 * @param leftDefault the left term for an unknown or absent right term
 * @param rightDefault the right term for an unknown or absent left term
 */
public record Correspondence(
    String name,
    List<Map.Entry<String, String>> pairs,
    Map<String, String> leftToRight,
    Map<String, String> rightToLeft,
    String leftDefault,
    String rightDefault) {

  public Correspondence {
    pairs = List.copyOf(pairs);
    leftToRight = Map.copyOf(leftToRight);
    rightToLeft = Map.copyOf(rightToLeft);
  }

  /** The right side's term for a left term; the right default when it is unknown or null. */
  public String toRight(String left) {
    return left == null ? rightDefault : leftToRight.getOrDefault(left, rightDefault);
  }

  /** The left side's term for a right term; the left default when it is unknown or null. */
  public String toLeft(String right) {
    return right == null ? leftDefault : rightToLeft.getOrDefault(right, leftDefault);
  }

  /** Whether the left side has this term (as a pair or an alias). */
  public boolean knowsLeft(String left) {
    return left != null && leftToRight.containsKey(left);
  }

  /** Whether the right side has this term (as a pair or an alias). */
  public boolean knowsRight(String right) {
    return right != null && rightToLeft.containsKey(right);
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Collects pairs and aliases; refuses a term listed twice on one side. */
  public static final class Builder {
    private final String name;
    private final List<Map.Entry<String, String>> pairs = new java.util.ArrayList<>();
    private final Map<String, String> leftToRight = new LinkedHashMap<>();
    private final Map<String, String> rightToLeft = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    /** A term both sides have: maps both ways. */
    public Builder pair(String left, String right) {
      pairs.add(Map.entry(left, right));
      put(leftToRight, left, right, "left");
      put(rightToLeft, right, left, "right");
      return this;
    }

    /** A term only the left side has, said on the right as {@code right}. */
    public Builder leftOnly(String left, String right) {
      requirePaired(rightToLeft, right, "right");
      put(leftToRight, left, right, "left");
      return this;
    }

    /** A term only the right side has, said on the left as {@code left}. */
    public Builder rightOnly(String right, String left) {
      requirePaired(leftToRight, left, "left");
      put(rightToLeft, right, left, "right");
      return this;
    }

    /** Unknown or absent terms: {@code left} for an unknown right term, and the reverse. */
    public Correspondence defaults(String leftDefault, String rightDefault) {
      return new Correspondence(name, pairs, leftToRight, rightToLeft, leftDefault, rightDefault);
    }

    private void put(Map<String, String> map, String from, String to, String side) {
      Objects.requireNonNull(from);
      Objects.requireNonNull(to);
      if (map.putIfAbsent(from, to) != null) {
        throw new IllegalArgumentException(name + ": " + side + " term '" + from + "' twice");
      }
    }

    /** An alias must land on a term of a pair, or the round trip from it would be undefined. */
    private void requirePaired(Map<String, String> map, String term, String side) {
      if (!map.containsKey(term)) {
        throw new IllegalArgumentException(
            name + ": alias target '" + term + "' is not a " + side + " term of a pair");
      }
    }
  }
}
