package dev.portcullis.operator;

import dev.portcullis.operator.OciImage.TarEntry;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An image's root filesystem unpacked into a directory, with what a container runtime adds (/proc
 * mounted, the /dev nodes a JVM opens), where its entrypoint runs under {@code chroot} as the
 * image's user. Containers cannot be started on the build machine; {@code chroot} and {@code mount}
 * as root can. {@link #close} stops the processes, unmounts /proc and deletes the directory.
 */
final class ImageRoot implements AutoCloseable {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final OciImage image;
  private final Path root;
  private final List<Process> processes = new ArrayList<>();
  private boolean procMounted;

  private ImageRoot(OciImage image, Path root) {
    this.image = image;
    this.root = root;
  }

  /** Whether this JVM runs as root, which chroot, mknod and mount need. */
  static boolean runningAsRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Applies the image's layers, bottom first, into {@code root} (an empty directory) as the OCI
   * image spec says: a {@code .wh.<name>} entry deletes {@code <name>} from the layers below, a
   * {@code .wh..wh..opq} entry empties its directory of them; then mounts /proc and makes
   * /dev/null, zero, random and urandom.
   */
  static ImageRoot unpack(OciImage image, Path root) throws IOException, InterruptedException {
    ImageRoot unpacked = new ImageRoot(image, root);
    for (List<TarEntry> layer : image.layers()) {
      unpacked.applyWhiteouts(layer);
      for (TarEntry e : layer) {
        String name = Path.of(e.path()).getFileName().toString();
        if (!name.startsWith(WHITEOUT)) {
          unpacked.write(e);
        }
      }
    }
    unpacked.prepareRuntimeMounts();
    return unpacked;
  }

  Path root() {
    return root;
  }

  /**
   * Starts the entrypoint with {@code args} under {@code chroot --userspec} with the image's user
   * and only the image's environment; output goes to {@code log}.
   */
  Process start(List<String> args, Path log) throws IOException {
    List<String> command =
        new ArrayList<>(List.of(tool("chroot"), "--userspec=" + image.user(), root.toString()));
    command.addAll(image.entrypoint());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    for (String entry : image.env()) {
      int eq = entry.indexOf('=');
      builder.environment().put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private void applyWhiteouts(List<TarEntry> layer) throws IOException {
    for (TarEntry e : layer) {
      Path path = Path.of(e.path());
      String name = path.getFileName().toString();
      Path parent = path.getParent() == null ? root : root.resolve(path.getParent().toString());
      if (name.equals(OPAQUE)) {
        if (Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
          try (Stream<Path> children = Files.list(parent)) {
            for (Path child : children.toList()) {
              deleteTree(child);
            }
          }
        }
      } else if (name.startsWith(WHITEOUT)) {
        deleteTree(parent.resolve(name.substring(WHITEOUT.length())));
      }
    }
  }

  private void write(TarEntry e) throws IOException {
    Path target = root.resolve(e.path()).normalize();
    if (!target.startsWith(root)) {
      throw new IOException("layer entry outside the root: " + e.path());
    }
    if (e.path().isEmpty() || target.equals(root)) {
      return;
    }
    Files.createDirectories(target.getParent());
    if (e.type() != TarEntry.Type.DIRECTORY
        || !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      deleteTree(target);
    }
    switch (e.type()) {
      case DIRECTORY -> Files.createDirectories(target);
      case FILE -> Files.write(target, e.content());
      case SYMLINK -> Files.createSymbolicLink(target, Path.of(e.linkTarget()));
      case HARDLINK -> Files.createLink(target, root.resolve(e.linkTarget()));
    }
    if (e.type() != TarEntry.Type.SYMLINK) {
      Files.setAttribute(target, "unix:mode", e.mode());
    }
    Files.setAttribute(target, "unix:uid", e.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(target, "unix:gid", e.gid(), LinkOption.NOFOLLOW_LINKS);
  }

  private void prepareRuntimeMounts() throws IOException, InterruptedException {
    Files.createDirectories(root.resolve("dev"));
    Files.createDirectories(root.resolve("proc"));
    for (String[] node :
        List.of(
            new String[] {"null", "1", "3"},
            new String[] {"zero", "1", "5"},
            new String[] {"random", "1", "8"},
            new String[] {"urandom", "1", "9"})) {
      run(
          tool("mknod"),
          "-m",
          "666",
          root.resolve("dev").resolve(node[0]).toString(),
          "c",
          node[1],
          node[2]);
    }
    // The dynamic loader resolves the runtime's $ORIGIN through /proc/self/exe.
    run(tool("mount"), "-t", "proc", "proc", root.resolve("proc").toString());
    procMounted = true;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    if (procMounted) {
      run(tool("umount"), root.resolve("proc").toString());
      procMounted = false;
    }
    deleteTree(root);
  }

  /** The program's path: chroot and mount live in sbin directories, not always on the PATH. */
  private static String tool(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    return name;
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }

  /** Deletes a file, a link (not its target) or a directory tree, staying on its file system. */
  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Object device = Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            // A mount point (another device): never delete what lies on another file system.
            return device.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))
                ? FileVisitResult.CONTINUE
                : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            try {
              Files.delete(dir);
            } catch (DirectoryNotEmptyException skipped) {
              // Holds a mount point left in place above.
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
