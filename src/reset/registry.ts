/**
 * Resets in flight, by execution id. A second reset of the same execution is refused while one is
 * running (two clicks, two commands): the API has no idempotency key, so the second would reset again.
 */
export class ResetRegistry {
  private readonly inFlight = new Set<string>();

  isBusy(executionId: string): boolean {
    return this.inFlight.has(executionId);
  }

  /** Runs `action` holding the execution; false (and nothing run) if it is already held. */
  async hold<T>(executionId: string, action: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.inFlight.has(executionId)) return { ran: false };
    this.inFlight.add(executionId);
    try {
      return { ran: true, value: await action() };
    } finally {
      this.inFlight.delete(executionId);
    }
  }
}
