package dev.portcullis.gateway.telemetry;

import java.lang.management.ManagementFactory;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@link TelemetryFinishBenchmark} request measured in CPU time and allocated bytes per thread
 * rather than wall time (on a machine shared by many builds JMH's wall-clock figures mostly measure
 * waiting for a core): the request's thread, and the telemetry writer's thread (or, in builds
 * before it, the access-log writer's). Each variant runs among {@value
 * TelemetryFinishBenchmark#WORK_TOKENS} tokens of other work per request (as a request's other work
 * would, so the writer keeps up); the work's own cost is the {@code off} row. Variants alternate
 * over four rounds; each is warmed 2 s and then measured over 2 s of the request thread's CPU.
 *
 * <pre>
 * ./mvnw -B -Pjmh -pl gateway-runtime -am verify -DskipTests -Dspotless.check.skip=true \
 *     -Djmh.args="-f 1 -wi 1 -w 1s -i 1 -r 1s TelemetryFinishBenchmark"   # compiles, then runs JMH
 * java -cp gateway-runtime/target/test-classes:gateway-runtime/target/classes:&lt;test classpath&gt; \
 *     dev.portcullis.gateway.telemetry.TelemetryCpuTime
 * </pre>
 */
public class TelemetryCpuTime {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  public static void main(String[] args) {
    Blackhole hole =
        new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is"
                + " dangerous.");
    String[] variants = {"off", "metrics", "metrics+log"};
    for (int round = 0; round < 4; round++) {
      for (int v = 0; v < variants.length; v++) {
        String variant = variants[round % 2 == 0 ? v : variants.length - 1 - v];
        TelemetryFinishBenchmark b = new TelemetryFinishBenchmark();
        b.telemetry = variant;
        b.setUp();
        long warm = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warm) {
          hole.consume(b.requestAmongWork());
        }
        long writer = writerThread();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        long wcpu0 = writer < 0 ? 0 : THREADS.getThreadCpuTime(writer);
        long walloc0 = writer < 0 ? 0 : THREADS.getThreadAllocatedBytes(writer);
        long ops = 0;
        while (THREADS.getCurrentThreadCpuTime() - cpu0 < 2_000_000_000L) {
          for (int i = 0; i < 1_000; i++) {
            hole.consume(b.requestAmongWork());
          }
          ops += 1_000;
        }
        double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / (double) ops;
        double alloc = (THREADS.getCurrentThreadAllocatedBytes() - alloc0) / (double) ops;
        b.drain(); // the writer finishes what is queued
        double wcpu = writer < 0 ? 0 : (THREADS.getThreadCpuTime(writer) - wcpu0) / (double) ops;
        double walloc =
            writer < 0 ? 0 : (THREADS.getThreadAllocatedBytes(writer) - walloc0) / (double) ops;
        System.out.printf(
            "round %d %-12s request thread %7.0f ns %6.0f B   writer thread %7.0f ns %6.0f B"
                + "   per request%n",
            round, variant, cpu, alloc, wcpu, walloc);
        b.tearDown();
      }
    }
  }

  /** The telemetry writer's thread id (or the access-log writer's, in older builds); -1: none. */
  private static long writerThread() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive()
          && (t.getName().equals("portcullis-telemetry")
              || t.getName().equals("portcullis-access-log"))) {
        return t.threadId();
      }
    }
    return -1;
  }
}
