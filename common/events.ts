// The platform's events: who publishes what, in one place.
import type { EventBus } from './event-bus.ts';
import type { LiveConsignment, LiveOrder } from './contracts/live.ts';

export interface Reading {
  assetId: string;
  tenantId: string;
  ts: Date;
  metrics: Record<string, number>;
}

/** An equipment error code from `t/{tenant}/a/{asset}/events`, stored. */
export interface AssetEventIngested {
  assetId: string;
  tenantId: string;
  ts: Date;
  code: string;
  severity: string;
}

export interface PredictionRaised {
  predictionId: string;
  assetId: string;
  tenantId: string;
  failureModeId: string;
  failureMode: string;
  modelVersionId: string;
  modelVersion: string;
  expectedFailureAt: Date;
  confidence: number;
  shadow: boolean;
}

export interface OrderRef {
  orderId: string;
  tenantId: string;
}

/** Why an order was cancelled (dispatch/core/order-closure.ts labels them). */
export type CancelReason =
  'FALSE_ALARM' | 'CUSTOMER_DECLINED' | 'DUPLICATE' | 'ALREADY_FIXED' | 'RISK_CLEARED' | 'OTHER';

/** An order was completed (the asset is repaired) or cancelled: what predict needs to start the pair afresh. */
export interface OrderClosed {
  orderId: string;
  tenantId: string;
  assetId: string;
  failureModeId: string;
  status: 'COMPLETED' | 'CANCELLED';
  /** When it closed: readings of the pair logged before this are not evidence any more. */
  at: Date;
  cancelReason?: CancelReason;
  /** On cancel: no new order for the pair before this. */
  snoozeUntil?: Date;
}

/** A planned order's ETA moved (reassigned to another technician, or the part re-staged). */
export interface OrderEtaChanged extends OrderRef {
  etaAt: Date;
  previousEtaAt: Date | null;
}

/** predict: newer predictions put an open order's failure sooner; its expected failure and due-by moved earlier. */
export interface OrderForecastAdvanced extends OrderRef {
  expectedFailureAt: Date;
  dueBy: Date;
  previousDueBy: Date;
}

/** The technician left for the site. */
export interface OrderEnRoute extends OrderRef {
  at: Date;
}

export interface OrderEscalation extends OrderRef {
  /** Why the order cannot be served before the expected failure. */
  reason: string;
  /** Minutes after the expected failure the plan arrives (null: not planned at all). */
  lateByMinutes: number | null;
}

export interface ReturnRef {
  returnId: string;
  orderId: string;
  tenantId: string;
  reason: 'DEFECTIVE' | 'UNUSED';
}

/**
 * A shipment is late or failed: a carrier reported it delivered late (LATE) or an exception (FAILED), or it was not
 * delivered by the time its part is needed (OVERDUE). Its order needs a new plan for its parts.
 */
export interface ShipmentProblem extends OrderRef {
  shipmentId: string;
  kind: 'LATE' | 'FAILED' | 'OVERDUE';
  minutesLate: number | null;
  reason: string;
}

/** A stock transfer (TRF-) or a return shipment (RMA-) a carrier reported lost, damaged or refused (as sent live). */
export type ConsignmentProblem = LiveConsignment;

export interface PredictionOutcome {
  predictionId: string;
  modelVersionId: string;
  outcome: 'CONFIRMED' | 'REFUTED';
  at: Date;
  /** The return authorization whose repair-depot finding decided it. */
  returnId: string;
}

export interface ModelChanged {
  modelId: string;
  versionId: string;
  version: number;
  /** The version's status after the change (a new version is DRAFT). */
  status: 'DRAFT' | 'SHADOW' | 'ACTIVE' | 'RETIRED';
  actor: string;
}

export interface TokensRevoked {
  userId: string;
  reason: 'logout' | 'account-changed' | 'account-deleted';
}

export interface PlatformEvents {
  /** ingest: a validated reading is stored. */
  'reading.ingested': Reading;
  /** ingest: an equipment error code is stored (the ALARM kind reads them). */
  'event.ingested': AssetEventIngested;
  /** ingest: a device came online or went offline (birth / last will). */
  'asset.connectivity': { assetId: string; tenantId: string; online: boolean; at: Date };
  /** predict: a model version expects a failure. */
  'prediction.raised': PredictionRaised;
  /** predict: a pre-emptive service order was opened. */
  'order.created': OrderRef;
  /** predict: an open order's failure is now expected sooner (dispatch checks its plan still arrives in time). */
  'order.forecast-advanced': OrderForecastAdvanced;
  /** dispatch: technician, parts source and staging location are fixed and stock is reserved. */
  'order.planned': OrderRef;
  /** dispatch: a planned order's ETA changed (reassign, re-stage). */
  'order.eta-changed': OrderEtaChanged;
  /** dispatch: the field reported the technician on the way (TECHNICIAN_EN_ROUTE). */
  'order.en-route': OrderEnRoute;
  /** dispatch: no plan reaches the site before the expected failure (planned late, or unplannable). */
  'order.escalated': OrderEscalation;
  /** any module: an order changed (status, plan, risk flag). */
  'order.updated': OrderRef;
  /** dispatch: an order was completed or cancelled (predict starts the asset and failure mode afresh). */
  'order.closed': OrderClosed;
  /** dispatch: the current view of an order after any change, for live channels. */
  'order.view': LiveOrder;
  /** dispatch: a completed order's removed or unused part is to be sent back (reverse logistics). */
  'return.authorized': ReturnRef;
  /** dispatch: a repair depot's finding confirmed or refuted the prediction that raised an order. */
  'prediction.outcome': PredictionOutcome;
  /** dispatch: a carrier event showed a shipment late or failed (the order is flagged for re-planning). */
  'shipment.problem': ShipmentProblem;
  /** dispatch: a carrier reported an exception on a stock transfer or a return shipment (planners are told). */
  'consignment.problem': ConsignmentProblem;
  /** predict: a model version was created or changed status (promoted, shadowed, retired). */
  'model.changed': ModelChanged;
  /** dashboard: every token of a user was revoked; live connections opened with them are closed. */
  'auth.revoked': TokensRevoked;
}

export type PlatformBus = EventBus<PlatformEvents>;
