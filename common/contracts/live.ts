// The socket.io contract between the platform and the dashboard (and any live client).

export interface LiveReading {
  assetId: string;
  ts: string;
  metrics: Record<string, number>;
}

export interface LiveAsset {
  assetId: string;
  state: 'UP' | 'DEGRADED' | 'DOWN';
  online: boolean;
  at: string;
}

export interface LiveOrder {
  id: string;
  number: number;
  tenantId: string;
  assetId: string;
  assetName: string;
  failureMode: string;
  status: string;
  slaTier: string;
  expectedFailureAt: string;
  dueBy: string;
  riskCleared: boolean;
  technician: string | null;
  pickup: string | null;
  source: string | null;
  partsReadyAt: string | null;
  etaAt: string | null;
  /** On-time verdict of the plan: the ETA is no later than the expected failure (null: not judged yet). */
  onTime: boolean | null;
  /** Minutes the ETA falls after the expected failure (null: not planned). */
  lateByMinutes: number | null;
  /** Why the order is late or cannot be planned (null: on time). */
  verdictReason: string | null;
  /** Escalated: no plan reaches the site before the expected failure (flagged on the board). */
  escalated: boolean;
  part: { sku: string; qty: number };
  reservationStatus: string | null;
  /** Who accepted the job (null: not yet). */
  acceptedBy: string | null;
  /** What a dispatcher may do now: accept, reassign, restage, cancel (dispatch/core/lifecycle.ts). */
  actions: string[];
  /** The next field status POST /api/orders/:id/status accepts, if any. */
  nextStatus: string | null;
  /** When it was completed or cancelled (null: open). */
  closedAt: string | null;
  /** Why it was cancelled: FALSE_ALARM, CUSTOMER_DECLINED, DUPLICATE, ALREADY_FIXED, RISK_CLEARED or OTHER. */
  cancelReason: string | null;
  /** A cancel's snooze: predict raises no order for the asset and failure mode before this. */
  snoozeUntil: string | null;
  /** The status as the customer sees it, e.g. "risk cleared – under review" (dispatch/core/order-closure.ts). */
  customerStatus: string;
}

export interface LivePrediction {
  id: string;
  assetId: string;
  failureMode: string;
  expectedFailureAt: string;
  confidence: number;
  modelVersion: string;
  shadow: boolean;
}

/** Why the server is closing the connection (then it disconnects; log in again to reconnect). */
export interface LiveSessionEnded {
  code: 'AUTH_TOKEN_EXPIRED' | 'AUTH_TOKEN_REVOKED' | 'LIVE_FLOODING';
  message: string;
}

/** A stock transfer (TRF-) or return shipment (RMA-) a carrier reported lost, damaged or refused. */
export interface LiveConsignment {
  kind: 'TRANSFER' | 'RETURN';
  id: string;
  code: string;
  from: string;
  to: string;
  sku: string;
  qty: number;
  reason: string;
}

export interface ServerToClientEvents {
  reading: (r: LiveReading) => void;
  asset: (a: LiveAsset) => void;
  order: (o: LiveOrder) => void;
  prediction: (p: LivePrediction) => void;
  /** Staff only: a carrier exception on a stock transfer or a return shipment (docs/reverse-logistics.md). */
  consignment: (p: LiveConsignment) => void;
  'session:ended': (e: LiveSessionEnded) => void;
}

export interface ClientToServerEvents {
  /** Join the live room of one asset's telemetry; refused for another tenant's asset. */
  'asset:watch': (assetId: string, ack: (res: { ok: boolean; error?: string }) => void) => void;
  'asset:unwatch': (assetId: string) => void;
}

export const rooms = {
  tenant: (tenantId: string) => `tenant:${tenantId}`,
  staff: 'staff',
  asset: (assetId: string) => `asset:${assetId}`,
};
