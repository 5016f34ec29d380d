// socket.io on the fastify server: a valid, unrevoked token is required to connect; customers join their
// tenant's room and may watch only their own assets; staff join the staff room and may watch any asset.
// A connection ends when its token expires (a timer per socket), when its user's tokens are revoked (the
// `auth.revoked` event), or when a periodic sweep finds its account deleted or changed. What a connection sends
// is rate-limited (dashboard/core/flood-guard.ts): refused events are logged once per window, and a connection
// that keeps flooding is closed.
import { Server, type Socket } from 'socket.io';
import type { Server as HttpServer } from 'node:http';
import {
  rooms,
  type ClientToServerEvents,
  type LiveSessionEnded,
  type ServerToClientEvents,
} from '../../common/contracts/live.ts';
import type { Logger } from '../../common/logger.ts';
import { canSeeTenant, isStaff } from '../../common/http/access.ts';
import {
  admit,
  DEFAULT_FLOOD_POLICY,
  freshFloodState,
  refusal,
  type FloodPolicy,
} from '../core/flood-guard.ts';
import { checkSession, msUntilExpiry, type Accounts, type TokenClaims } from '../../common/http/session.ts';
import type { Audience, LiveChannel, LiveEvent, LivePayload } from './live-channel.ts';

export type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { user: TokenClaims }
>;
type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { user: TokenClaims }
>;

/** setTimeout's longest delay; a longer token lifetime re-arms the timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createSocketServer(
  http: HttpServer,
  opts: {
    /** The claims of a valid, unexpired and unrevoked token; throws otherwise. */
    authenticate: (token: string) => Promise<TokenClaims>;
    accounts: Pick<Accounts, 'states'>;
    /** Subscribes to revocations (the `auth.revoked` event); returns the unsubscribe function. */
    onRevoked: (handler: (userId: string) => void) => () => void;
    assetTenant: (assetId: string) => Promise<string | undefined>;
    log: Logger;
    /** How often every connection's account is checked again (deleted, changed). */
    sweepMs?: number;
    flood?: FloodPolicy;
  },
): { io: LiveServer; channel: LiveChannel; close(): Promise<void> } {
  const flood = opts.flood ?? DEFAULT_FLOOD_POLICY;
  const io: LiveServer = new Server(http, { serveClient: true, cors: { origin: false } });
  const timers = new Map<string, NodeJS.Timeout>();

  const end = (socket: LiveSocket, code: LiveSessionEnded['code'], message: string) => {
    if (socket.disconnected) return;
    opts.log.info({ user: socket.data.user.sub, code }, 'live connection closed');
    socket.emit('session:ended', { code, message });
    socket.disconnect(true);
  };

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    (typeof token === 'string' ? opts.authenticate(token) : Promise.reject(new Error('no token'))).then(
      (claims) => {
        socket.data.user = claims;
        next();
      },
      () => {
        opts.log.info({ ip: socket.handshake.address }, 'live connection refused: missing or invalid token');
        next(new Error('unauthorized'));
      },
    );
  });

  io.on('connection', (socket) => {
    const user = socket.data.user;
    // a technician joins no room: his jobs come from GET /api/me/jobs, not from the desk's or a tenant's feed
    if (isStaff(user)) void socket.join(rooms.staff);
    else if (user.role === 'CUSTOMER' && user.tenantId) void socket.join(rooms.tenant(user.tenantId));

    const arm = () => {
      const ms = msUntilExpiry(user, new Date());
      if (!Number.isFinite(ms)) return;
      const t = setTimeout(
        () =>
          msUntilExpiry(user, new Date()) > 0
            ? arm()
            : end(socket, 'AUTH_TOKEN_EXPIRED', 'the token has expired'),
        Math.min(ms, MAX_TIMER_MS),
      );
      t.unref();
      timers.set(socket.id, t);
    };
    arm();
    socket.on('disconnect', () => {
      clearTimeout(timers.get(socket.id));
      timers.delete(socket.id);
    });

    let guard = freshFloodState(flood, Date.now());
    const summarise = (s?: { limited: number; refused: number }) => {
      if (s) opts.log.info({ user: user.sub, ...s }, 'live events refused in the last window');
    };
    socket.use((packet, next) => {
      const d = admit(flood, guard, Date.now());
      guard = d.state;
      summarise(d.summary);
      if (d.allow) return next();
      if (d.logLimited)
        opts.log.warn({ user: user.sub, event: String(packet[0]).slice(0, 40) }, 'live events rate limited');
      if (d.disconnect) return end(socket, 'LIVE_FLOODING', 'too many events: slow down');
      const ack: unknown = packet[packet.length - 1];
      if (typeof ack === 'function')
        (ack as (r: { ok: boolean; error: string }) => void)({ ok: false, error: 'rate limited' });
    });

    socket.on('asset:watch', async (assetId, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const tenantId =
        typeof assetId === 'string' ? await opts.assetTenant(assetId).catch(() => undefined) : undefined;
      if (!tenantId || !canSeeTenant(user, tenantId)) {
        const r = refusal(flood, guard, Date.now());
        guard = r.state;
        summarise(r.summary);
        if (r.log)
          opts.log.info({ user: user.email, assetId: String(assetId).slice(0, 80) }, 'live watch refused');
        return reply({ ok: false, error: 'not found' });
      }
      await socket.join(rooms.asset(assetId as string));
      reply({ ok: true });
    });
    socket.on('asset:unwatch', (assetId) => {
      if (typeof assetId === 'string') void socket.leave(rooms.asset(assetId));
    });
  });

  const live = () => [...io.sockets.sockets.values()] as LiveSocket[];
  /** Closes the connections whose token no longer stands (of one user, or of everyone). */
  const recheck = async (userId?: string) => {
    const sockets = live().filter((s) => userId === undefined || s.data.user.sub === userId);
    if (sockets.length === 0) return;
    const accounts = await opts.accounts.states([...new Set(sockets.map((s) => s.data.user.sub))]);
    const now = new Date();
    for (const s of sockets) {
      const v = checkSession(s.data.user, accounts.get(s.data.user.sub), now);
      if (!v.ok) end(s, v.code, v.reason);
    }
  };
  const unsubscribe = opts.onRevoked((userId) => {
    recheck(userId).catch((err: unknown) => opts.log.warn({ err }, 'live revocation check failed'));
  });
  let sweepFailed = false;
  const sweep = setInterval(() => {
    recheck().then(
      () => (sweepFailed = false),
      (err: unknown) => {
        if (!sweepFailed) opts.log.warn({ err }, 'live session sweep failed (retrying)');
        sweepFailed = true;
      },
    );
  }, opts.sweepMs ?? 5_000);
  sweep.unref();

  const roomOf = (a: Audience) =>
    'tenant' in a ? rooms.tenant(a.tenant) : 'asset' in a ? rooms.asset(a.asset) : rooms.staff;
  const channel: LiveChannel = {
    send<E extends LiveEvent>(to: Audience[], event: E, payload: LivePayload<E>) {
      // most readings go to asset rooms nobody watches: skip encoding a packet for no one
      const targets = to.map(roomOf).filter((r) => (io.sockets.adapter.rooms.get(r)?.size ?? 0) > 0);
      if (targets.length === 0) return;
      (io.to(targets).emit as (e: E, p: LivePayload<E>) => boolean)(event, payload);
    },
    watched: (assetId) => (io.sockets.adapter.rooms.get(rooms.asset(assetId))?.size ?? 0) > 0,
  };
  return {
    io,
    channel,
    async close() {
      clearInterval(sweep);
      unsubscribe();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      await io.close();
    },
  };
}
