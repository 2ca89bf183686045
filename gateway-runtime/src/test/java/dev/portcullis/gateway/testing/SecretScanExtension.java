package dev.portcullis.gateway.testing;

import dev.portcullis.gateway.Gateway;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs {@link SecretScan} around every test class of this module (registered through {@code
 * META-INF/services} with auto-detection switched on in {@code junit-platform.properties}, so a new
 * end-to-end test is scanned without asking for it).
 *
 * <p>Before the class: one scan, the JUL root logger and {@code System.out}/{@code System.err}
 * captured into it. After each test: every {@link Gateway} in a field of the test (static or not;
 * also in a collection or an array) is watched and {@link SecretScan#verify} runs, so a leak fails
 * the test that caused it. After the class (gateways closed, access logs flushed): a last verify,
 * and the capture is undone. A class that watched no gateway and named no secret is not scanned.
 */
public final class SecretScanExtension
    implements BeforeAllCallback, AfterTestExecutionCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SecretScanExtension.class);

  /** What one class's scan changed in the JVM, to be put back. */
  private record Capture(SecretScan scan, Handler handler, PrintStream out, PrintStream err) {}

  @Override
  public void beforeAll(ExtensionContext context) {
    if (context.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
      return; // a @Nested class shares its outer class's scan
    }
    SecretScan scan = new SecretScan();
    Handler handler = new CaptureHandler(scan);
    Logger.getLogger("").addHandler(handler);
    PrintStream out = System.out;
    PrintStream err = System.err;
    System.setOut(tee(out, scan, "stdout"));
    System.setErr(tee(err, scan, "stderr"));
    SecretScan.setCurrent(scan);
    context.getStore(NAMESPACE).put(Capture.class, new Capture(scan, handler, out, err));
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    SecretScan scan = SecretScan.current();
    watchFields(scan, context.getRequiredTestClass(), context.getTestInstance());
    if (scan.active()) {
      scan.verify();
    } else {
      scan.discardCapture();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Capture capture = context.getStore(NAMESPACE).remove(Capture.class, Capture.class);
    if (capture == null) {
      return;
    }
    try {
      watchFields(capture.scan(), context.getRequiredTestClass(), Optional.empty());
      if (capture.scan().active()) {
        capture.scan().verify();
      }
    } finally {
      Logger.getLogger("").removeHandler(capture.handler());
      System.setOut(capture.out());
      System.setErr(capture.err());
      SecretScan.setCurrent(null);
    }
  }

  /** Watches the gateways in the fields of the test class, its outer classes and instances. */
  private static void watchFields(SecretScan scan, Class<?> type, Optional<Object> instance) {
    List<Object> instances = new ArrayList<>();
    instance.ifPresent(instances::add);
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        boolean isStatic = Modifier.isStatic(field.getModifiers());
        if (!isStatic && instances.isEmpty()) {
          continue;
        }
        try {
          field.setAccessible(true);
          Object value = isStatic ? field.get(null) : field.get(instances.getFirst());
          consider(scan, value);
        } catch (ReflectiveOperationException | RuntimeException e) {
          // A field the test cannot have put a gateway in (module rules): nothing to watch.
        }
      }
    }
    if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
      watchFields(scan, type.getEnclosingClass(), Optional.empty());
    }
  }

  private static void consider(SecretScan scan, Object value) {
    switch (value) {
      case Gateway gateway -> scan.watch(gateway);
      case String text -> scan.considerKeyCandidate(text);
      case Collection<?> items -> items.forEach(item -> considerElement(scan, item));
      case Object[] items -> {
        for (Object item : items) {
          considerElement(scan, item);
        }
      }
      case null, default -> {}
    }
  }

  private static void considerElement(SecretScan scan, Object item) {
    if (item instanceof Gateway gateway) {
      scan.watch(gateway);
    } else if (item instanceof String text) {
      scan.considerKeyCandidate(text);
    }
  }

  private static PrintStream tee(PrintStream original, SecretScan scan, String name) {
    OutputStream both =
        new OutputStream() {
          @Override
          public void write(int b) {
            original.write(b);
            scan.append(name, new String(new byte[] {(byte) b}, StandardCharsets.ISO_8859_1));
          }

          @Override
          public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            scan.append(name, new String(b, off, len, StandardCharsets.UTF_8));
          }

          @Override
          public void flush() {
            original.flush();
          }
        };
    return new PrintStream(both, true, StandardCharsets.UTF_8);
  }

  /** Every log record of the JVM, formatted as the console shows it (stack traces included). */
  private static final class CaptureHandler extends Handler {
    private final SecretScan scan;
    private final SimpleFormatter formatter = new SimpleFormatter();

    CaptureHandler(SecretScan scan) {
      this.scan = scan;
      setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
      scan.append("log", formatter.format(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
