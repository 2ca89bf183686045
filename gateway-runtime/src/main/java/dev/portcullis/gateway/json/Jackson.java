package dev.portcullis.gateway.json;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The gateway's Jackson set-up. Jackson's default buffer pool is per thread; every request and
 * stream here runs on its own virtual thread, so each would allocate fresh parse and write buffers
 * (tens of KB) and keep them for as long as it lives — about 60 MB of heap with 1,000 open streams.
 * A shared, bounded pool lets threads reuse them instead.
 */
public final class Jackson {
  private Jackson() {}

  /** A plain {@link ObjectMapper} over the shared buffer pool; thread-safe, do not reconfigure. */
  public static final ObjectMapper MAPPER = new JsonMapper(factory().build());

  /** A factory builder over the shared buffer pool, for parsers with their own features. */
  public static JsonFactoryBuilder factory() {
    return new JsonFactoryBuilder().recyclerPool(JsonRecyclerPools.sharedBoundedPool());
  }
}
