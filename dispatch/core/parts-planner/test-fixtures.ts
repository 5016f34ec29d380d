import type { PartsInstance } from './instance.ts';

/** A small instance: a hub, one fsl, one counter, two parts, four assets (one with a live prediction). */
export function tinyPartsInstance(): PartsInstance {
  return {
    horizonDays: 14,
    holdingRatePerYear: 0.25,
    transferCost: 35,
    replenishDays: 1,
    hubResponseHours: 16,
    hubShipCost: 90,
    localShipCost: 25,
    costPerKm: 0.6,
    emergencyCost: 1500,
    travel: { speedKmh: 60, roadFactor: 1.3 },
    skus: [
      { id: 'P-1', unitCost: 900 },
      { id: 'P-2', unitCost: 180 },
    ],
    locations: [
      { id: 'HUB-1', kind: 'hub', lat: 50.05, lon: 8.57, capacity: null, stock: { 'P-1': 3, 'P-2': 2 } },
      { id: 'FSL-1', kind: 'fsl', lat: 49.45, lon: 11.08, capacity: 10, stock: { 'P-1': 1 } },
      { id: 'PC-1', kind: 'counter', lat: 52.52, lon: 13.4, capacity: 2, stock: {} },
    ],
    assets: [
      {
        id: 'A-1',
        lat: 49.5,
        lon: 11.0,
        sku: 'P-1',
        slaHours: 4,
        missPenalty: 6000,
        pFail: 0.6,
        window: [2, 4],
      },
      {
        id: 'A-2',
        lat: 52.5,
        lon: 13.3,
        sku: 'P-1',
        slaHours: 8,
        missPenalty: 2500,
        pFail: 0.02,
        window: [0, 14],
      },
      {
        id: 'A-3',
        lat: 52.4,
        lon: 13.5,
        sku: 'P-2',
        slaHours: 24,
        missPenalty: 800,
        pFail: 0.05,
        window: [0, 14],
      },
      {
        id: 'A-4',
        lat: 50.1,
        lon: 8.6,
        sku: 'P-2',
        slaHours: 4,
        missPenalty: 6000,
        pFail: 0.01,
        window: [0, 14],
      },
    ],
  };
}
