// Component health: each module registers a check; GET /api/health reports them all.
export type ComponentStatus = 'up' | 'degraded' | 'down';

export interface ComponentHealth {
  status: ComponentStatus;
  detail?: Record<string, unknown>;
}

export class HealthRegistry {
  private readonly checks = new Map<string, () => Promise<ComponentHealth> | ComponentHealth>();

  register(name: string, check: () => Promise<ComponentHealth> | ComponentHealth): void {
    this.checks.set(name, check);
  }

  async report(): Promise<{ status: ComponentStatus; components: Record<string, ComponentHealth> }> {
    const components: Record<string, ComponentHealth> = {};
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          components[name] = await Promise.race([
            Promise.resolve(check()),
            new Promise<ComponentHealth>((r) => setTimeout(() => r({ status: 'down', detail: { error: 'timed out' } }), 3_000).unref()),
          ]);
        } catch (err) {
          components[name] = { status: 'down', detail: { error: (err as Error).message } };
        }
      }),
    );
    const all = Object.values(components).map((c) => c.status);
    const status = all.includes('down') ? 'down' : all.includes('degraded') ? 'degraded' : 'up';
    return { status, components };
  }
}
