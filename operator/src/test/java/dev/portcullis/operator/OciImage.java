package dev.portcullis.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * An image archive written by {@code .ci/oci-image}, read as a registry client or a container
 * runtime reads it: the OCI image layout (oci-layout, index.json, blobs/sha256/) inside a tar, each
 * blob checked against its digest, each layer's uncompressed tar against the config's diff_id.
 *
 * @param blobs the blobs by digest ({@code sha256:…}), each checked against its content
 * @param index index.json
 * @param manifest the image manifest the index names
 * @param config the image configuration the manifest names
 * @param dockerManifest manifest.json, read by {@code docker load}
 */
record OciImage(
    Map<String, byte[]> blobs,
    JsonNode index,
    JsonNode manifest,
    JsonNode config,
    JsonNode dockerManifest) {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Reads the archive, failing on a blob whose content does not match its name. */
  static OciImage read(Path archive) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(archive)) {
      for (TarEntry e : TarEntry.readAll(in)) {
        if (e.type() == TarEntry.Type.FILE) {
          files.put(e.path(), e.content());
        }
      }
    }
    if (!files.containsKey("oci-layout") || !files.containsKey("index.json")) {
      throw new IOException(archive + " is not an OCI image layout: " + files.keySet());
    }
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    files.forEach(
        (path, content) -> {
          if (path.startsWith("blobs/sha256/")) {
            String digest = "sha256:" + path.substring("blobs/sha256/".length());
            if (!digest.equals(sha256(content))) {
              throw new IllegalStateException(path + " does not match its digest");
            }
            blobs.put(digest, content);
          }
        });
    JsonNode index = JSON.readTree(files.get("index.json"));
    JsonNode manifest = JSON.readTree(blob(blobs, index.path("manifests").path(0)));
    JsonNode config = JSON.readTree(blob(blobs, manifest.path("config")));
    JsonNode dockerManifest = JSON.readTree(files.get("manifest.json"));
    return new OciImage(blobs, index, manifest, config, dockerManifest);
  }

  /** The manifest's digest, as a registry would name it. */
  String digest() {
    return index.path("manifests").path(0).path("digest").asText();
  }

  /** The name the archive gives the image ({@code repository:tag}). */
  String name() {
    return index
        .path("manifests")
        .path(0)
        .path("annotations")
        .path("io.containerd.image.name")
        .asText();
  }

  List<String> entrypoint() {
    return strings(config.path("config").path("Entrypoint"));
  }

  /** The environment, as {@code NAME=value} entries. */
  List<String> env() {
    return strings(config.path("config").path("Env"));
  }

  /** {@code uid:gid}. */
  String user() {
    return config.path("config").path("User").asText();
  }

  Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    config
        .path("config")
        .path("Labels")
        .properties()
        .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /**
   * The layers' entries, bottom first, each layer's uncompressed content checked against its
   * diff_id in the config.
   */
  List<List<TarEntry>> layers() throws IOException {
    List<List<TarEntry>> layers = new ArrayList<>();
    JsonNode diffIds = config.path("rootfs").path("diff_ids");
    JsonNode descriptors = manifest.path("layers");
    if (diffIds.size() != descriptors.size()) {
      throw new IOException(
          "the config names " + diffIds.size() + " layers, the manifest " + descriptors.size());
    }
    for (int i = 0; i < descriptors.size(); i++) {
      JsonNode layer = descriptors.get(i);
      if (!layer.path("mediaType").asText().equals("application/vnd.oci.image.layer.v1.tar+gzip")) {
        throw new IOException("unexpected layer media type " + layer.path("mediaType"));
      }
      byte[] tar;
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(blob(blobs, layer)))) {
        tar = in.readAllBytes();
      }
      if (!sha256(tar).equals(diffIds.get(i).asText())) {
        throw new IOException("layer " + i + " does not match its diff_id");
      }
      layers.add(TarEntry.readAll(new ByteArrayInputStream(tar)));
    }
    return layers;
  }

  private static byte[] blob(Map<String, byte[]> blobs, JsonNode descriptor) throws IOException {
    String digest = descriptor.path("digest").asText();
    byte[] blob = blobs.get(digest);
    if (blob == null) {
      throw new IOException("no blob " + digest);
    }
    if (blob.length != descriptor.path("size").asLong()) {
      throw new IOException("blob " + digest + " is not of the size its descriptor says");
    }
    return blob;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  static String sha256(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One entry of a tar archive (POSIX ustar with pax extended headers, as GNU tar and Go's
   * archive/tar write them).
   *
   * @param path the name, without a leading {@code ./} or trailing slash
   * @param type what the entry is
   * @param mode the permission bits, including setuid/setgid/sticky
   * @param uid owner
   * @param gid group
   * @param linkTarget a link's target, else empty
   * @param content a file's bytes, else empty
   */
  record TarEntry(
      String path, Type type, int mode, int uid, int gid, String linkTarget, byte[] content) {
    enum Type {
      FILE,
      DIRECTORY,
      SYMLINK,
      HARDLINK
    }

    static List<TarEntry> readAll(InputStream in) throws IOException {
      List<TarEntry> entries = new ArrayList<>();
      Map<String, String> pax = Map.of();
      String gnuLongName = null;
      while (true) {
        byte[] header = in.readNBytes(512);
        if (header.length < 512 || isZero(header)) {
          return entries;
        }
        char typeFlag = (char) header[156];
        long size = octal(header, 124, 12);
        byte[] data = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
        switch (typeFlag) {
          case 'x' -> pax = parsePax(data);
          case 'g' -> {}
          case 'L' -> gnuLongName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
          default -> {
            String name = string(header, 0, 100);
            String prefix = string(header, 345, 155);
            String path = !prefix.isEmpty() ? prefix + "/" + name : name;
            path = pax.getOrDefault("path", gnuLongName != null ? gnuLongName : path);
            String link = pax.getOrDefault("linkpath", string(header, 157, 100));
            Type type =
                switch (typeFlag) {
                  case '0', '\0', '7' -> Type.FILE;
                  case '5' -> Type.DIRECTORY;
                  case '2' -> Type.SYMLINK;
                  case '1' -> Type.HARDLINK;
                  default -> throw new IOException("unsupported tar entry type " + typeFlag);
                };
            path = path.replaceFirst("^\\./", "").replaceFirst("/$", "");
            entries.add(
                new TarEntry(
                    path,
                    type,
                    (int) octal(header, 100, 8),
                    Integer.parseInt(pax.getOrDefault("uid", "" + octal(header, 108, 8))),
                    Integer.parseInt(pax.getOrDefault("gid", "" + octal(header, 116, 8))),
                    link,
                    type == Type.FILE ? data : new byte[0]));
            pax = Map.of();
            gnuLongName = null;
          }
        }
      }
    }

    private static Map<String, String> parsePax(byte[] data) {
      Map<String, String> records = new LinkedHashMap<>();
      int i = 0;
      while (i < data.length) {
        int space = i;
        while (data[space] != ' ') {
          space++;
        }
        int length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
        String record =
            new String(data, space + 1, length - (space - i) - 2, StandardCharsets.UTF_8);
        int eq = record.indexOf('=');
        records.put(record.substring(0, eq), record.substring(eq + 1));
        i += length;
      }
      return records;
    }

    private static boolean isZero(byte[] block) {
      for (byte b : block) {
        if (b != 0) {
          return false;
        }
      }
      return true;
    }

    private static String string(byte[] header, int offset, int length) {
      int end = offset;
      while (end < offset + length && header[end] != 0) {
        end++;
      }
      return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) {
      String s = string(header, offset, length).trim();
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
  }
}
