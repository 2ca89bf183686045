package dev.portcullis.api.manifest;

import java.nio.file.Path;

/**
 * Where a resource or a problem was found.
 *
 * @param file the file, as the folder it was read from was given plus the path below it
 * @param document 1-based position of the YAML document in the file; 0 for the file as a whole
 * @param line 1-based line where the document (or the syntax error) starts; 0 if unknown
 */
public record ManifestLocation(Path file, int document, int line) {
  @Override
  public String toString() {
    if (document == 0) {
      return line > 0 ? file + ":" + line : file.toString();
    }
    return file + " (document " + document + (line > 0 ? ", line " + line : "") + ")";
  }
}
