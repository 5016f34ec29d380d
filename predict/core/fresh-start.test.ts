import { describe, expect, it } from 'vitest';
import { isFresh, isSnoozed, recordClose, type ClosureBook } from './fresh-start.ts';

const at = (iso: string) => new Date(`2026-05-01T${iso}Z`);

describe('fresh start after an order closes', () => {
  it('counts only readings from the close on, per asset and failure mode', () => {
    const book: ClosureBook = new Map();
    expect(isFresh(book, 'a1:fm', at('08:00:00'))).toBe(true);
    recordClose(book, 'a1:fm', { at: at('10:00:00') });
    expect(isFresh(book, 'a1:fm', at('09:59:59'))).toBe(false);
    expect(isFresh(book, 'a1:fm', at('10:00:00'))).toBe(true);
    expect(isFresh(book, 'a1:other', at('09:00:00'))).toBe(true);
    expect(isFresh(book, 'a2:fm', at('09:00:00'))).toBe(true);
  });

  it('snoozes until the set time; a later close without a snooze does not shorten it', () => {
    const book: ClosureBook = new Map();
    recordClose(book, 'a1:fm', { at: at('10:00:00'), snoozeUntil: at('22:00:00') });
    expect(isSnoozed(book, 'a1:fm', at('21:59:59'))).toBe(true);
    expect(isSnoozed(book, 'a1:fm', at('22:00:00'))).toBe(false);
    recordClose(book, 'a1:fm', { at: at('11:00:00') });
    expect(book.get('a1:fm')).toEqual({
      freshSince: at('11:00:00').getTime(),
      snoozeUntil: at('22:00:00').getTime(),
    });
    expect(isSnoozed(book, 'a2:fm', at('12:00:00'))).toBe(false);
  });

  it('keeps the latest close when closes arrive out of order (a restart loads them again)', () => {
    const book: ClosureBook = new Map();
    recordClose(book, 'a1:fm', { at: at('12:00:00'), snoozeUntil: null });
    recordClose(book, 'a1:fm', { at: at('10:00:00') });
    expect(isFresh(book, 'a1:fm', at('11:00:00'))).toBe(false);
  });
});
