// The live channel (socket.io): readings of watched assets, asset connectivity, orders and predictions.
// One connection per page; views subscribe with on() and get an unsubscribe function back.
import { io } from '/socket.io/socket.io.esm.min.js';

export function connectLive(token, { onStatus, onUnauthorized } = {}) {
  const socket = io({ auth: { token }, transports: ['websocket', 'polling'] });
  const watched = new Set();

  socket.on('connect', () => {
    onStatus?.('connected');
    // a reconnect joins a fresh set of rooms on the server: watch again
    for (const id of watched) socket.emit('asset:watch', id, () => undefined);
  });
  socket.on('disconnect', () => onStatus?.('disconnected'));
  // the server ends the connection when the token expires or is revoked (logout elsewhere, account changed)
  socket.on('session:ended', (e) => {
    socket.close();
    onUnauthorized?.(e?.code);
  });
  socket.on('connect_error', (err) => {
    if (err?.message === 'unauthorized') {
      socket.close();
      onUnauthorized?.();
    } else onStatus?.('disconnected');
  });

  return {
    socket,
    on(event, fn) {
      socket.on(event, fn);
      return () => socket.off(event, fn);
    },
    /** Resolves { ok, error? }: joins the asset's room to receive its `reading` events. */
    watch(assetId) {
      watched.add(assetId);
      return new Promise((resolve) => {
        socket.timeout(10_000).emit('asset:watch', assetId, (err, res) => {
          const result = err ? { ok: false, error: 'timeout' } : res;
          if (!result.ok) watched.delete(assetId);
          resolve(result);
        });
      });
    },
    unwatch(assetId) {
      watched.delete(assetId);
      socket.emit('asset:unwatch', assetId);
    },
    close() {
      socket.close();
    },
  };
}
