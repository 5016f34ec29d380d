// Component health: each module registers a check; GET /api/health reports them all.
export type ComponentStatus = 'up' | 'degraded' | 'down';

export interface ComponentHealth {
  status: ComponentStatus;
  detail?: Record<string, unknown>;
}

export class HealthRegistry {
  private readonly checks = new Map<string, () => Promise<ComponentHealth> | ComponentHealth>();
  private readonly critical = new Set<string>();

  /**
   * A critical component down makes the whole platform down (503: take it out of rotation); any other
   * component down or degraded makes it degraded (it still serves, e.g. ingest journals while the store is away).
   */
  register(
    name: string,
    check: () => Promise<ComponentHealth> | ComponentHealth,
    opts: { critical?: boolean } = {},
  ): void {
    this.checks.set(name, check);
    if (opts.critical) this.critical.add(name);
  }

  async report(): Promise<{ status: ComponentStatus; components: Record<string, ComponentHealth> }> {
    const components: Record<string, ComponentHealth> = {};
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          components[name] = await Promise.race([
            Promise.resolve(check()),
            new Promise<ComponentHealth>((r) =>
              setTimeout(() => r({ status: 'down', detail: { error: 'timed out' } }), 3_000).unref(),
            ),
          ]);
        } catch (err) {
          components[name] = { status: 'down', detail: { error: (err as Error).message } };
        }
      }),
    );
    const entries = Object.entries(components);
    const status: ComponentStatus = entries.some(([n, c]) => c.status === 'down' && this.critical.has(n))
      ? 'down'
      : entries.some(([, c]) => c.status !== 'up')
        ? 'degraded'
        : 'up';
    return { status, components };
  }
}
