// What a customer may see of an order's detail (GET /api/orders/{id}/detail): the order and its timeline as
// common/http/customer-view.ts tells them; the prediction's band, confidence, watched metric and failure level
// and the metric's trend, but not the model behind it or its raw evidence; the parts' movements without their
// costs; the return without the depot's free-text note. Pure.
import type { OrderDetail } from './order-detail.ts';
import { isStaff, type Principal } from '../../common/http/access.ts';
import { historyForCustomer, orderForCustomer } from '../../common/http/customer-view.ts';
import { reportForCustomer } from './job-report.ts';

export function detailForCustomer(d: OrderDetail): OrderDetail {
  const shipments = d.shipments.map((s) => ({ ...s, cost: null }));
  return {
    ...d,
    order: orderForCustomer(d.order),
    prediction: d.prediction && { ...d.prediction, model: null, evidence: null },
    plan: {
      ...d.plan,
      verdictReason: null,
      shipment: d.plan.shipment && { ...d.plan.shipment, cost: null },
    },
    timeline: d.timeline.map(historyForCustomer),
    shipments,
    returns: d.returns.map((r) => ({ ...r, findingNote: null, routeReason: null })),
    report: d.report && reportForCustomer(d.report),
  };
}

export const detailFor = (viewer: Principal, d: OrderDetail): OrderDetail =>
  isStaff(viewer) ? d : detailForCustomer(d);
