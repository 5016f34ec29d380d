import { describe, expect, it } from 'vitest';
import { isAppError } from '../../common/errors.ts';
import { CODE39_CHARS, code39Modules, code39Svg } from './code39.ts';
import { renderReturnDocument, type ReturnDocument } from './return-document.ts';
import {
  decideFinding,
  decideReceipt,
  outcomeOf,
  returnsOnCompletion,
  returnState,
  rmaCode,
} from './returns.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return isAppError(err) ? err.code : String(err);
  }
  return undefined;
};

describe('returns on completion', () => {
  it('sends the removed part to the repair depot', () => {
    expect(
      returnsOnCompletion({ qty: 1, removedSerial: ' SN-9 ', repairDepotId: 'rd', stockHomeId: 'fsl' }),
    ).toEqual([{ reason: 'DEFECTIVE', qty: 1, serial: 'SN-9', toLocationId: 'rd' }]);
  });

  it('sends unused parts back to the stock they came from', () => {
    expect(returnsOnCompletion({ qty: 3, usedQty: 1, repairDepotId: 'rd', stockHomeId: 'hub' })).toEqual([
      { reason: 'DEFECTIVE', qty: 1, serial: '', toLocationId: 'rd' },
      { reason: 'UNUSED', qty: 2, serial: '', toLocationId: 'hub' },
    ]);
    expect(returnsOnCompletion({ qty: 1, usedQty: 0, repairDepotId: 'rd', stockHomeId: 'hub' })).toEqual([
      { reason: 'UNUSED', qty: 1, serial: '', toLocationId: 'hub' },
    ]);
  });

  it('without a repair depot, sends defective parts to the stock location for onward shipping', () => {
    expect(returnsOnCompletion({ qty: 1, stockHomeId: 'hub' })[0]!.toLocationId).toBe('hub');
  });

  it('refuses more used parts than were staged', () => {
    expect(code(() => returnsOnCompletion({ qty: 1, usedQty: 2, stockHomeId: 'h' }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(code(() => returnsOnCompletion({ qty: 2, usedQty: 1.5, stockHomeId: 'h' }))).toBe(
      'VALIDATION_FAILED',
    );
  });
});

describe('return authorizations', () => {
  const ra = (patch = {}) => ({
    number: 42,
    reason: 'DEFECTIVE' as const,
    receivedAt: null,
    closedAt: null,
    ...patch,
  });

  it('numbers returns as RMA-000042', () => {
    expect(rmaCode(42)).toBe('RMA-000042');
    expect(rmaCode(1234567)).toBe('RMA-1234567');
  });

  it('restocks and closes an unused part on receipt; a defective one waits for its finding', () => {
    expect(decideReceipt(ra({ reason: 'UNUSED' }))).toEqual({ closes: true, restock: true });
    expect(decideReceipt(ra())).toEqual({ closes: false, restock: false });
    expect(code(() => decideReceipt(ra({ receivedAt: new Date() })))).toBe('DISPATCH_ILLEGAL_TRANSITION');
    expect(returnState(ra({ receivedAt: new Date() }))).toBe('RECEIVED');
  });

  it('records one finding per defective part', () => {
    expect(code(() => decideFinding(ra()))).toBeUndefined();
    expect(code(() => decideFinding(ra({ receivedAt: new Date() })))).toBeUndefined();
    expect(code(() => decideFinding(ra({ closedAt: new Date() })))).toBe('DISPATCH_ILLEGAL_TRANSITION');
    expect(code(() => decideFinding(ra({ reason: 'UNUSED' })))).toBe('DISPATCH_ILLEGAL_TRANSITION');
  });

  it('turns a finding into the outcome of the prediction', () => {
    expect(outcomeOf('FAILURE_CONFIRMED')).toBe('CONFIRMED');
    expect(outcomeOf('NO_FAULT_FOUND')).toBe('REFUTED');
  });
});

describe('Code 39', () => {
  it('has 43 characters, each 9 elements with exactly 3 wide, all different', () => {
    expect(CODE39_CHARS).toHaveLength(43);
    const patterns = CODE39_CHARS.map((c) => code39Modules(c).slice(10, 19).join(''));
    for (const p of patterns) expect([...p].filter((e) => e === '3')).toHaveLength(3);
    expect(new Set(patterns).size).toBe(43);
  });

  it('frames the text with start/stop characters and narrow gaps', () => {
    // '*' = n w n n w n w n n; 'A' = w n n n n w n n w (ISO/IEC 16388)
    const star = [1, 3, 1, 1, 3, 1, 3, 1, 1];
    expect(code39Modules('A')).toEqual([...star, 1, 3, 1, 1, 1, 1, 3, 1, 1, 3, 1, ...star]);
    const text = 'RMA-000042';
    const modules = code39Modules(text);
    expect(modules).toHaveLength((text.length + 2) * 10 - 1);
    expect(modules.reduce((a, b) => a + b, 0)).toBe((text.length + 2) * 16 - 1);
  });

  it('refuses characters it cannot encode', () => {
    expect(() => code39Modules('rma-1')).toThrow(/cannot encode "r"/);
    expect(() => code39Modules('A*B')).toThrow(/cannot encode "\*"/);
  });

  it('draws one rectangle per bar', () => {
    const svg = code39Svg('RMA-1');
    expect(svg.match(/<rect x=/g)).toHaveLength(7 * 5);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+"/);
  });
});

describe('return document', () => {
  const doc: ReturnDocument = {
    number: 7,
    reason: 'DEFECTIVE',
    qty: 1,
    serial: 'BRG-<script>',
    part: { sku: 'CH-BRG-300', name: 'Compressor bearing' },
    from: { customer: 'Acme & Co', site: 'Hamburg plant', asset: 'Chiller 3', assetSerial: 'AC-3' },
    to: { code: 'RD-KS', name: 'Repair depot Kassel', kind: 'REPAIR_DEPOT' },
    order: { number: 12, completedAt: new Date('2026-11-22T10:00:00Z'), technician: 'T-01 Anna Becker' },
    prediction: { modelVersion: 'chiller-bearing@v2', raisedAt: new Date('2026-11-21T08:00:00Z') },
    issuedAt: new Date('2026-11-22T10:00:00Z'),
    finding: null,
  };

  it('shows part, serial, from, to, reason and the RMA as text and barcode, escaped', () => {
    const html = renderReturnDocument(doc);
    expect(html).toContain('RMA-000007');
    expect(html).toContain('*RMA-000007*');
    expect(html).toContain('<svg');
    expect(html).toContain('CH-BRG-300 — Compressor bearing');
    expect(html).toContain('BRG-&lt;script&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain('Acme &amp; Co, Hamburg plant');
    expect(html).toContain('RD-KS — Repair depot Kassel');
    expect(html).toContain('Defective part');
    expect(html).toContain('chiller-bearing@v2');
    expect(html).toContain('2026-11-22 10:00 UTC');
  });

  it('says so when the serial was not recorded', () => {
    expect(renderReturnDocument({ ...doc, serial: '', reason: 'UNUSED' })).toContain('not recorded');
  });
});
