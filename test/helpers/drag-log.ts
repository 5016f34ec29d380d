// What a page saw of a drag, for a drag-and-drop e2e's failure message: pointer, mouse and drag events (with the
// element each hit), scrolling, redraws of a container, and the requests made to a URL part. A drag that starts
// nothing, drops nowhere or whose board was redrawn under it then says so instead of timing out mute.
import type { Page } from 'playwright-core';

type Logged = Window & { dragLog?: string[] };

/** Starts recording; the returned function reads what was seen so far. */
export async function recordDrag(
  page: Page,
  container: string,
  urlPart: string,
): Promise<() => Promise<string[]>> {
  await page.evaluate((sel) => {
    const log: string[] = [];
    (window as Logged).dragLog = log;
    const t0 = performance.now();
    const note = (what: string) => log.push(`${Math.round(performance.now() - t0)}ms ${what}`);
    const name = (t: EventTarget | null) => {
      if (!(t instanceof HTMLElement)) return String(t);
      const c = t.closest<HTMLElement>('[data-testid]');
      const where = c
        ? ` in ${c.dataset.testid}${c.dataset.technician ? `=${c.dataset.technician}` : ''}`
        : '';
      return `${t.tagName.toLowerCase()}${where}${t.isConnected ? '' : ' (detached)'}`;
    };
    const types = [
      'pointerdown',
      'mousedown',
      'pointerup',
      'mouseup',
      'pointercancel',
      'dragstart',
      'dragenter',
    ];
    for (const type of [...types, 'drop', 'dragend'])
      window.addEventListener(
        type,
        (e) => note(`${type} ${name(e.target)}${e.defaultPrevented ? ' prevented' : ''}`),
        true,
      );
    // moves and drag-overs come in streams: the first few say enough
    const firstFew = (type: string) => {
      let n = 0;
      window.addEventListener(type, (e) => void (n++ < 3 && note(`${type} ${name(e.target)}`)), true);
    };
    firstFew('mousemove');
    firstFew('dragover');
    note(`scrollY ${Math.round(scrollY)} of ${document.documentElement.scrollHeight - innerHeight}`);
    window.addEventListener('scroll', () => note(`scroll to ${Math.round(scrollY)}`), true);
    const box = document.querySelector(sel);
    if (box) {
      const pending = () => box.getAttribute('data-pending');
      new MutationObserver(() => note(`${sel} redrawn, pending=${pending()}`)).observe(box, {
        childList: true,
      });
      new MutationObserver(() => note(`pending=${pending()}`)).observe(box, {
        attributeFilter: ['data-pending'],
      });
    }
  }, container);
  const seen: string[] = [];
  page.on(
    'request',
    (r) => void (r.url().includes(urlPart) && seen.push(`request ${r.method()} ${r.url()}`)),
  );
  page.on(
    'response',
    (r) => void (r.url().includes(urlPart) && seen.push(`response ${r.status()} ${r.url()}`)),
  );
  page.on('console', (m) => void seen.push(`console ${m.type()}: ${m.text()}`));
  return async () => [...((await page.evaluate(() => (window as Logged).dragLog)) ?? []), ...seen];
}
