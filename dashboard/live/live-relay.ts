// Relays platform events to the live channel: each to the audience allowed to see it.
import type { PlatformBus } from '../../common/events.ts';
import { orderForCustomer } from '../../common/http/customer-view.ts';
import type { LiveChannel } from './live-channel.ts';

export function relayToLive(bus: PlatformBus, live: LiveChannel): void {
  bus.on('reading.ingested', (r) => {
    // most readings are of assets nobody watches: no payload, time string or audience is built for them
    if (live.watched?.(r.assetId) === false) return;
    live.send([{ asset: r.assetId }], 'reading', {
      assetId: r.assetId,
      ts: r.ts.toISOString(),
      metrics: r.metrics,
    });
  });
  bus.on('asset.connectivity', (c) => {
    live.send([{ tenant: c.tenantId }, { staff: true }], 'asset', {
      assetId: c.assetId,
      online: c.online,
      state: 'UP',
      at: c.at.toISOString(),
    });
  });
  bus.on('order.view', (o) => {
    live.send([{ staff: true }], 'order', o);
    live.send([{ tenant: o.tenantId }], 'order', orderForCustomer(o));
  });
  // a lost or damaged stock transfer or return: the dispatchers and planners see it at once
  bus.on('consignment.problem', (p) => live.send([{ staff: true }], 'consignment', p));
  bus.on('prediction.raised', (p) => {
    const payload = {
      id: p.predictionId,
      assetId: p.assetId,
      failureMode: p.failureMode,
      expectedFailureAt: p.expectedFailureAt.toISOString(),
      confidence: p.confidence,
      modelVersion: p.modelVersion,
      shadow: p.shadow,
    };
    live.send(
      p.shadow ? [{ staff: true }] : [{ tenant: p.tenantId }, { staff: true }],
      'prediction',
      payload,
    );
  });
}
