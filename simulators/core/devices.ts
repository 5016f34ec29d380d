// The devices the simulator may speak for: credentials the platform knows (the demo seed writes them to
// DATA_DIR/demo-devices.json), and which of them a run uses.

export interface DeviceCredentials {
  assetId: string;
  tenant: string;
  equipment: string;
  username: string;
  password: string;
}

/** Parses a devices file; a problem is thrown as one line. */
export function parseDevices(text: string, source: string): DeviceCredentials[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not JSON`);
  }
  if (!Array.isArray(list) || list.length === 0)
    throw new Error(
      `${source}: expected a non-empty list of { assetId, tenant, equipment, username, password }`,
    );
  const fields = ['assetId', 'tenant', 'equipment', 'username', 'password'] as const;
  list.forEach((d: unknown, i) => {
    const missing = fields.filter((f) => typeof (d as Record<string, unknown> | null)?.[f] !== 'string');
    if (missing.length > 0) throw new Error(`${source}: device #${i + 1} has no ${missing.join(', ')}`);
  });
  return (list as DeviceCredentials[]).map(({ assetId, tenant, equipment, username, password }) => ({
    assetId,
    tenant,
    equipment,
    username,
    password,
  }));
}

export interface DeviceSelection {
  /** Only these equipment models (kept in the file's order). */
  equipment?: readonly string[];
  /** Only these tenants. */
  tenants?: readonly string[];
  /** At most this many of each equipment model per tenant. */
  perModel?: Readonly<Record<string, number>>;
  /** At most this many in all. */
  assets?: number;
}

/**
 * The devices of a run, in the file's order (the demo seed spreads tenants and models evenly, so the first N are
 * a balanced fleet). Throws one line explaining what to do when the file holds too few.
 */
export function selectDevices(
  all: readonly DeviceCredentials[],
  sel: DeviceSelection,
  source: string,
): DeviceCredentials[] {
  const counts = new Map<string, number>();
  const picked = all.filter((d) => {
    if (sel.equipment && !sel.equipment.includes(d.equipment)) return false;
    if (sel.tenants && !sel.tenants.includes(d.tenant)) return false;
    if (sel.perModel) {
      const cap = sel.perModel[d.equipment];
      if (cap === undefined) return false;
      const key = `${d.tenant}\u0000${d.equipment}`;
      const n = counts.get(key) ?? 0;
      if (n >= cap) return false;
      counts.set(key, n + 1);
    }
    return true;
  });
  const what = [
    sel.equipment ? `of ${sel.equipment.join(', ')}` : '',
    sel.tenants ? `in ${sel.tenants.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  if (picked.length === 0)
    throw new Error(
      `${source} has no devices ${what || 'at all'} (it has ${describe(all)}); the demo seed writes the file when the platform starts in demo mode`,
    );
  if (sel.assets !== undefined && picked.length < sel.assets) {
    const raise = sel.tenants || sel.perModel ? 'a larger DEMO_ASSETS' : `DEMO_ASSETS=${sel.assets}`;
    throw new Error(
      `--assets ${sel.assets}: ${source} has only ${picked.length} devices${what ? ` ${what}` : ''} (${describe(all)}). ` +
        `The simulator can speak only for devices the platform knows: start the platform with ${raise} ` +
        `(it adds the missing demo devices and rewrites the file; DEMO_FLEET=false keeps its own fleet off), or ask for fewer assets`,
    );
  }
  if (sel.perModel) {
    for (const [model, cap] of Object.entries(sel.perModel)) {
      const tenants = new Set(picked.filter((d) => d.equipment === model).map((d) => d.tenant));
      for (const t of tenants) {
        const n = counts.get(`${t}\u0000${model}`) ?? 0;
        if (n < cap)
          throw new Error(
            `--models ${model}=${cap}: tenant ${t} has only ${n} devices of ${model} in ${source}; start the platform with a larger DEMO_ASSETS, or ask for fewer`,
          );
      }
    }
  }
  return sel.assets === undefined ? picked : picked.slice(0, sel.assets);
}

/** "54 devices: 18 chiller-ch300, 18 pump-px50, 18 imaging-ct9". */
function describe(all: readonly DeviceCredentials[]): string {
  const byModel = new Map<string, number>();
  for (const d of all) byModel.set(d.equipment, (byModel.get(d.equipment) ?? 0) + 1);
  return `${all.length} devices: ${[...byModel].map(([m, n]) => `${n} ${m}`).join(', ')}`;
}

/**
 * The broker `npm run simulate` talks to: MQTT_URL, or the embedded one on MQTT_PORT when either is given (in the
 * environment or .env); else the broker the demo platform of the same DATA_DIR announced it runs (DATA_DIR/
 * demo-broker-url: a platform started with MQTT_PORT=1884 because 1883 was taken); else 127.0.0.1:1883. Before, a
 * simulator run without the platform's MQTT_PORT went to whatever broker held 1883 and reported its devices
 * connected while the platform heard nothing.
 */
export function simulatorBroker(o: {
  mqttUrl: string | undefined;
  mqttPort: number;
  /** MQTT_PORT was given (not its default). */
  portGiven: boolean;
  /** The URL in DATA_DIR/demo-broker-url, if any. */
  announced: string | undefined;
}): { url: string; from: 'MQTT_URL' | 'MQTT_PORT' | 'platform' | 'default' } {
  if (o.mqttUrl) return { url: o.mqttUrl, from: 'MQTT_URL' };
  if (o.portGiven) return { url: `mqtt://127.0.0.1:${o.mqttPort}`, from: 'MQTT_PORT' };
  const announced = o.announced?.trim();
  if (announced && /^mqtts?:\/\/\S+$/.test(announced)) return { url: announced, from: 'platform' };
  return { url: `mqtt://127.0.0.1:${o.mqttPort}`, from: 'default' };
}
