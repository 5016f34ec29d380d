/** Tiny hand-checkable instances for the unit tests. */
import type { PlanInstance } from './instance.ts';

/**
 * One hub, one fsl and one counter on the equator, 1° of longitude apart (≈ 111.2 km
 * great-circle each, roadFactor 1 so road km = great-circle km), two technicians and
 * three orders.
 */
export function tinyInstance(): PlanInstance {
  return {
    now: '2026-03-02T14:30:00Z',
    travel: { speedKmh: 60, roadFactor: 1, costPerKm: 0.5, costPerHour: 30 },
    shipping: {
      overnight: { cutoffUtc: '01:00', deliverUtc: '08:00', cost: 48 },
      courier: { speedKmh: 55, handlingMinutes: 45, baseCost: 35, costPerKm: 1.1, maxKm: 150 },
    },
    lateCostPerHour: 180,
    unplannedCost: 5000,
    locations: [
      { id: 'HUB-1', kind: 'hub', lat: 0, lon: 0, stock: { 'P-1': 5, 'P-2': 1 } },
      { id: 'FSL-1', kind: 'fsl', lat: 0, lon: 1, stock: { 'P-1': 1 } },
      { id: 'PC-1', kind: 'counter', lat: 0, lon: 2, stock: {}, openUtc: '07:00', closeUtc: '21:00' },
    ],
    technicians: [
      { id: 'T-1', lat: 0, lon: 1, skills: ['hvac'], availableFrom: '2026-03-02T14:30:00Z' },
      { id: 'T-2', lat: 0, lon: 2, skills: ['hvac', 'power'], availableFrom: '2026-03-02T16:00:00Z' },
    ],
    orders: [
      {
        id: 'SO-1',
        lat: 0,
        lon: 1,
        skill: 'hvac',
        sku: 'P-1',
        qty: 1,
        dueBy: '2026-03-03T14:30:00Z',
        repairMinutes: 60,
      },
      {
        id: 'SO-2',
        lat: 0,
        lon: 2,
        skill: 'power',
        sku: 'P-2',
        qty: 1,
        dueBy: '2026-03-03T14:30:00Z',
        repairMinutes: 60,
      },
      {
        id: 'SO-3',
        lat: 0,
        lon: 1.5,
        skill: 'imaging',
        sku: 'P-1',
        qty: 1,
        dueBy: '2026-03-03T14:30:00Z',
        repairMinutes: 60,
      },
    ],
  };
}
