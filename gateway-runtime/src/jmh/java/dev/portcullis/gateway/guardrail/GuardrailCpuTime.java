package dev.portcullis.gateway.guardrail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@link GuardrailBenchmark} methods measured in CPU time of the measuring thread rather than
 * wall time: on a machine shared by many builds (load far above its cores) JMH's wall-clock figures
 * mostly measure waiting for a core. Each method is warmed for 3 s, then run for 2 s of its own CPU
 * time ({@code -Dwarmup=} and {@code -Dmeasure=} seconds change them). Arguments: the text sizes
 * in bytes (default 1024 16384).
 *
 * <pre>
 * ./mvnw -B -Pjmh -pl gateway-runtime -am verify -DskipTests -Dspotless.check.skip=true \
 *     -Djmh.args="-f 1 -wi 2 -w 1s -i 3 -r 1s GuardrailBenchmark"   # compiles, then runs JMH
 * java -cp gateway-runtime/target/test-classes:gateway-runtime/target/classes:&lt;test classpath&gt; \
 *     dev.portcullis.gateway.guardrail.GuardrailCpuTime
 * </pre>
 */
public class GuardrailCpuTime {
  public static void main(String[] args) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double warmup = Double.parseDouble(System.getProperty("warmup", "3"));
    double measure = Double.parseDouble(System.getProperty("measure", "2"));
    Blackhole hole =
        new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is"
                + " dangerous.");
    int[] sizes = args.length == 0 ? new int[] {1024, 16384} : new int[args.length];
    for (int i = 0; i < args.length; i++) {
      sizes[i] = Integer.parseInt(args[i]);
    }
    for (int bytes : sizes) {
      GuardrailBenchmark b = new GuardrailBenchmark();
      b.bytes = bytes;
      b.setUp();
      Map<String, Runnable> methods = new LinkedHashMap<>();
      methods.put("checkPii", () -> hole.consume(b.checkPii()));
      methods.put("checkRegex", () -> hole.consume(b.checkRegex()));
      methods.put("checkDenyList", () -> hole.consume(b.checkDenyList()));
      methods.put("checkLength", () -> hole.consume(b.checkLength()));
      methods.put("checkPromptInjection", () -> hole.consume(b.checkPromptInjection()));
      methods.put("checkJsonSchema", () -> hole.consume(b.checkJsonSchema()));
      methods.put("inputSide", () -> hole.consume(b.inputSide()));
      methods.put("inputSideCountShared", () -> hole.consume(b.inputSideCountShared()));
      methods.put("outputSide", () -> hole.consume(b.outputSide()));
      methods.put("bothSides", () -> b.bothSides(hole));
      methods.put("outputStream", () -> hole.consume(b.outputStream()));
      for (Map.Entry<String, Runnable> m : methods.entrySet()) {
        Runnable run = m.getValue();
        long warm = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < warm) {
          run.run();
        }
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long ops = 0;
        while (threads.getCurrentThreadCpuTime() - cpu0 < (long) (measure * 1e9)) {
          run.run();
          ops++;
        }
        double cpuUs = (threads.getCurrentThreadCpuTime() - cpu0) / 1000.0 / ops;
        double wallUs = (System.nanoTime() - wall0) / 1000.0 / ops;
        System.out.printf(
            "%-22s %6d B  cpu %10.1f us/op = %7.1f us/KB   (wall %10.1f us/op)%n",
            m.getKey(), bytes, cpuUs, cpuUs / (bytes / 1024.0), wallUs);
      }
    }
  }
}
