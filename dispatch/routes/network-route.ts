// GET /api/network: the network map's data for the desk (ADMIN, DISPATCHER): stock locations with their stock
// per part (serviceable on hand, reserved, refurbished), technicians, customer sites, and the parts on the move —
// open orders' shipments (courier or hub overnight) and stock transfers in transit — so the map can draw and
// explain every line (dashboard/public/map.js).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Db } from '../../common/db.ts';
import { bearer } from '../../common/http/auth.ts';
import { errorSchema } from '../../common/http/error-handler.ts';
import { transferCode } from '../core/transfer-document.ts';
import { stockLocationFields } from './schemas.ts';

export const NetworkSchema = Type.Object({
  locations: Type.Array(
    Type.Object({
      ...stockLocationFields,
      stock: Type.Array(
        Type.Object({
          sku: Type.String(),
          name: Type.String(),
          onHand: Type.Integer({ description: 'serviceable units on the shelf' }),
          reserved: Type.Integer({ description: 'of onHand, held for orders' }),
          refurbished: Type.Integer({ description: 'of onHand, refurbished or retested units' }),
        }),
      ),
    }),
  ),
  technicians: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      skills: Type.Array(Type.String()),
      lat: Type.Number(),
      lon: Type.Number(),
    }),
  ),
  sites: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      tenantId: Type.String(),
      lat: Type.Number(),
      lon: Type.Number(),
    }),
  ),
  movements: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('shipment'), Type.Literal('transfer')], {
        description: "shipment: an open order's part to its pickup; transfer: stock moved between locations",
      }),
      mode: Type.Union([Type.Literal('COURIER'), Type.Literal('OVERNIGHT')]),
      label: Type.String({ description: 'the order number (#12) or the transfer code' }),
      from: Type.String(),
      to: Type.String(),
      sku: Type.String(),
      qty: Type.Integer(),
      status: Type.String(),
      arrivesAt: Type.String(),
    }),
    { description: 'parts on the move: planned or in transit' },
  ),
});

export const networkRoute: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/network',
    {
      onRequest: app.requireRole('ADMIN', 'DISPATCHER'),
      schema: {
        tags: ['dispatch'],
        summary: 'Stock locations with stock, technicians, customer sites and parts on the move',
        security: bearer,
        response: { 200: NetworkSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async () => {
      const [locations, technicians, sites, shipments, transfers] = await Promise.all([
        db.stockLocation.findMany({
          include: { stock: { include: { part: { select: { sku: true, name: true } } } } },
          orderBy: { code: 'asc' },
        }),
        db.technician.findMany({ orderBy: { code: 'asc' } }),
        db.site.findMany({ orderBy: { name: 'asc' } }),
        db.shipment.findMany({
          where: {
            status: { in: ['PLANNED', 'IN_TRANSIT'] },
            order: { status: { notIn: ['COMPLETED', 'CANCELLED'] } },
          },
          include: {
            order: { select: { number: true } },
            fromLocation: { select: { code: true } },
            toLocation: { select: { code: true } },
            part: { select: { sku: true } },
          },
          orderBy: { shipAt: 'asc' },
          take: 500,
        }),
        db.stockTransfer.findMany({
          where: { status: 'IN_TRANSIT' },
          include: {
            fromLocation: { select: { code: true } },
            toLocation: { select: { code: true } },
            part: { select: { sku: true } },
          },
          orderBy: { shipAt: 'asc' },
          take: 500,
        }),
      ]);
      return {
        locations: locations.map((l) => ({
          code: l.code,
          name: l.name,
          kind: l.kind,
          lat: l.lat,
          lon: l.lon,
          openUtc: l.openUtc,
          closeUtc: l.closeUtc,
          stock: l.stock
            .map((s) => ({
              sku: s.part.sku,
              name: s.part.name,
              onHand: s.onHand,
              reserved: s.reserved,
              refurbished: s.refurbished,
            }))
            .sort((a, b) => a.sku.localeCompare(b.sku)),
        })),
        technicians: technicians.map((t) => ({
          code: t.code,
          name: t.name,
          skills: t.skills,
          lat: t.lat,
          lon: t.lon,
        })),
        sites: sites.map((s) => ({ id: s.id, name: s.name, tenantId: s.tenantId, lat: s.lat, lon: s.lon })),
        movements: [
          ...shipments.map((s) => ({
            kind: 'shipment' as const,
            mode: s.mode,
            label: s.order ? `#${s.order.number}` : 'shipment',
            from: s.fromLocation.code,
            to: s.toLocation.code,
            sku: s.part.sku,
            qty: s.qty,
            status: s.status,
            arrivesAt: s.readyAt.toISOString(),
          })),
          ...transfers.map((t) => ({
            kind: 'transfer' as const,
            mode: t.mode,
            label: transferCode(t.number),
            from: t.fromLocation.code,
            to: t.toLocation.code,
            sku: t.part.sku,
            qty: t.qty,
            status: t.status,
            arrivesAt: t.etaAt.toISOString(),
          })),
        ],
      };
    },
  );
};
