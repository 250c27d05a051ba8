package dev.plimsoll.ops.shutdown;

/**
 * Something to release at shutdown: flush spans, close a pool, stop a server. It runs on its own
 * thread with a timeout, so one that hangs or throws never stops the others.
 */
@FunctionalInterface
public interface Closer {

  /**
   * Releases the resource.
   *
   * @throws Exception if it could not; the failure is logged and shutdown goes on
   */
  void close() throws Exception;
}
