package dev.portcullis.gateway.guardrail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An Aho–Corasick automaton: finds every occurrence of many words in one pass over the text, in
 * time linear in the text whatever the number of words.
 *
 * <p>Written here rather than taken from {@code org.ahocorasick:ahocorasick}: that library's last
 * release is from 2020, its results depend on the order of builder calls with ignoreCase and whole
 * words (its issue #95), case-insensitive search copies the whole text lower-cased, and whole-word
 * filtering happens after collecting all matches. Here case folding is per character without a
 * copy, matches go straight to the caller, and {@link #liveSuffix} tells a stream how many trailing
 * characters could still become a word, which a library search cannot.
 */
final class WordAutomaton {
  private static final int ASCII = 128;

  private final boolean caseSensitive;

  /** Root transitions for ASCII characters, the common case, as a direct table. */
  private final int[] rootAscii = new int[ASCII];

  /** Per state: sorted transition characters and their targets. */
  private final char[][] keys;

  private final int[][] targets;
  private final int[] fail;
  private final int[] depth;

  /** Per state: lengths of the words that end there (its own and via failure links). */
  private final int[][] wordLengths;

  private final int longestWord;

  WordAutomaton(Collection<String> words, boolean caseSensitive) {
    this.caseSensitive = caseSensitive;
    List<Map<Character, Integer>> trie = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    List<List<Integer>> ends = new ArrayList<>();
    trie.add(new HashMap<>());
    depths.add(0);
    ends.add(new ArrayList<>());
    int longest = 0;
    for (String word : words) {
      if (word.isEmpty()) {
        continue;
      }
      int state = 0;
      for (int i = 0; i < word.length(); i++) {
        char c = fold(word.charAt(i));
        Integer next = trie.get(state).get(c);
        if (next == null) {
          next = trie.size();
          trie.add(new HashMap<>());
          depths.add(i + 1);
          ends.add(new ArrayList<>());
          trie.get(state).put(c, next);
        }
        state = next;
      }
      if (!ends.get(state).contains(word.length())) {
        ends.get(state).add(word.length());
      }
      longest = Math.max(longest, word.length());
    }
    int n = trie.size();
    this.longestWord = longest;
    this.keys = new char[n][];
    this.targets = new int[n][];
    this.fail = new int[n];
    this.depth = new int[n];
    this.wordLengths = new int[n][];
    for (int s = 0; s < n; s++) {
      depth[s] = depths.get(s);
      Character[] cs = trie.get(s).keySet().toArray(new Character[0]);
      Arrays.sort(cs);
      keys[s] = new char[cs.length];
      targets[s] = new int[cs.length];
      for (int i = 0; i < cs.length; i++) {
        keys[s][i] = cs[i];
        targets[s][i] = trie.get(s).get(cs[i]);
      }
    }
    for (int i = 0; i < keys[0].length; i++) {
      if (keys[0][i] < ASCII) {
        rootAscii[keys[0][i]] = targets[0][i];
      }
    }
    // Breadth-first: a state's failure link is the longest proper suffix that is also a prefix.
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    wordLengths[0] = new int[0];
    for (int t : targets[0]) {
      fail[t] = 0;
      queue.add(t);
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      List<Integer> own = ends.get(s);
      int[] inherited = wordLengths[fail[s]];
      int[] all = new int[own.size() + inherited.length];
      for (int i = 0; i < own.size(); i++) {
        all[i] = own.get(i);
      }
      System.arraycopy(inherited, 0, all, own.size(), inherited.length);
      wordLengths[s] = all;
      for (int i = 0; i < keys[s].length; i++) {
        int t = targets[s][i];
        int f = fail[s];
        int next;
        while ((next = step(f, keys[s][i])) < 0 && f != 0) {
          f = fail[f];
        }
        fail[t] = next < 0 || next == t ? 0 : next;
        queue.add(t);
      }
    }
  }

  /** Receives each occurrence: [start, end) in the text searched. */
  @FunctionalInterface
  interface Occurrence {
    void found(int start, int end);
  }

  int longestWord() {
    return longestWord;
  }

  /** Reports every occurrence of every word in {@code text}, overlapping ones included. */
  void search(CharSequence text, Occurrence occurrence) {
    int state = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      state = next(state, fold(text.charAt(i)));
      int[] lengths = wordLengths[state];
      for (int len : lengths) {
        occurrence.found(i + 1 - len, i + 1);
      }
    }
  }

  /**
   * The length of the longest suffix of {@code text} that is the beginning of some word (a word
   * that ends exactly at the end counts too): the characters a stream must still hold.
   */
  int liveSuffix(CharSequence text) {
    int state = 0;
    for (int i = Math.max(0, text.length() - longestWord), n = text.length(); i < n; i++) {
      state = next(state, fold(text.charAt(i)));
    }
    return depth[state];
  }

  private int next(int state, char c) {
    while (true) {
      int t = step(state, c);
      if (t >= 0) {
        return t;
      }
      if (state == 0) {
        return 0;
      }
      state = fail[state];
    }
  }

  /** The transition on {@code c}, or -1. */
  private int step(int state, char c) {
    if (state == 0 && c < ASCII) {
      int t = rootAscii[c];
      return t == 0 ? -1 : t;
    }
    int i = Arrays.binarySearch(keys[state], c);
    return i < 0 ? -1 : targets[state][i];
  }

  private char fold(char c) {
    return caseSensitive ? c : Character.toLowerCase(Character.toUpperCase(c));
  }
}
