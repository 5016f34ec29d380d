// socket.io on the fastify server: a token is required to connect; customers join their tenant's room and may
// watch only their own assets; staff join the staff room and may watch any asset.
import { Server } from 'socket.io';
import type { Server as HttpServer } from 'node:http';
import { rooms, type ClientToServerEvents, type ServerToClientEvents } from '../../common/contracts/live.ts';
import type { Logger } from '../../common/logger.ts';
import { canSeeTenant, isStaff, type Principal } from '../core/access.ts';
import type { Audience, LiveChannel, LiveEvent, LivePayload } from './live-channel.ts';

export type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { user: Principal }
>;

export function createSocketServer(
  http: HttpServer,
  opts: {
    verify: (token: string) => Principal;
    assetTenant: (assetId: string) => Promise<string | undefined>;
    log: Logger;
  },
): { io: LiveServer; channel: LiveChannel } {
  const io: LiveServer = new Server(http, { serveClient: true, cors: { origin: false } });
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    try {
      if (typeof token !== 'string') throw new Error('no token');
      socket.data.user = opts.verify(token);
      next();
    } catch {
      opts.log.info({ ip: socket.handshake.address }, 'live connection refused: missing or invalid token');
      next(new Error('unauthorized'));
    }
  });
  io.on('connection', (socket) => {
    const user = socket.data.user;
    void socket.join(isStaff(user) ? rooms.staff : rooms.tenant(user.tenantId ?? ''));
    socket.on('asset:watch', async (assetId, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const tenantId =
        typeof assetId === 'string' ? await opts.assetTenant(assetId).catch(() => undefined) : undefined;
      if (!tenantId || !canSeeTenant(user, tenantId)) {
        opts.log.info({ user: user.email, assetId }, 'live watch refused');
        return reply({ ok: false, error: 'not found' });
      }
      await socket.join(rooms.asset(assetId as string));
      reply({ ok: true });
    });
    socket.on('asset:unwatch', (assetId) => {
      if (typeof assetId === 'string') void socket.leave(rooms.asset(assetId));
    });
  });
  const roomOf = (a: Audience) =>
    'tenant' in a ? rooms.tenant(a.tenant) : 'asset' in a ? rooms.asset(a.asset) : rooms.staff;
  const channel: LiveChannel = {
    send<E extends LiveEvent>(to: Audience[], event: E, payload: LivePayload<E>) {
      // most readings go to asset rooms nobody watches: skip encoding a packet for no one
      const targets = to.map(roomOf).filter((r) => (io.sockets.adapter.rooms.get(r)?.size ?? 0) > 0);
      if (targets.length === 0) return;
      (io.to(targets).emit as (e: E, p: LivePayload<E>) => boolean)(event, payload);
    },
  };
  return { io, channel };
}
