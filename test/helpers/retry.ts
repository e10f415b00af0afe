/** Retries `probe` until it resolves (a client that reconnects on its own, with backoff); rethrows its last error after `timeoutMs`. */
export async function retryUntilResolved(probe: () => Promise<unknown>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
