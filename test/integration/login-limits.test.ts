// Login limits behind a reverse proxy (TRUST_PROXY): each client address has its own budget over all accounts
// (LOGIN_LIMIT_PER_IP), each account 10 guesses a minute from one address, so a guesser at one account neither locks
// out the other users behind the same address nor those elsewhere. Without TRUST_PROXY a forged X-Forwarded-For buys
// no new budget (security.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../simulators/demo-world.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

describe('login limits behind a trusted proxy', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ TRUST_PROXY: 'loopback', LOGIN_LIMIT_PER_IP: '15' });
  }, 120_000);
  afterAll(async () => p?.stop());

  const login = (client: string, email: string, password: string) =>
    fetch(`${p.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
      body: JSON.stringify({ email, password }),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as { code?: string } }));

  const [admin, dispatcher, customer] = [
    DEMO_ACCOUNTS.find((a) => a.role === 'ADMIN')!,
    DEMO_ACCOUNTS.find((a) => a.role === 'DISPATCHER')!,
    DEMO_ACCOUNTS.find((a) => a.role === 'CUSTOMER')!,
  ];

  it('limits guesses per account and address, and every address over all accounts', async () => {
    const office = '198.51.100.7';
    const guesses: number[] = [];
    for (let i = 0; i < 11; i++) guesses.push((await login(office, admin.email, `guess-${i}`)).status);
    expect(guesses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(guesses[10]).toBe(429);
    // the same account, e-mail in other case: the same budget, still refused (even with the right password)
    const upper = await login(office, admin.email.toUpperCase(), admin.password);
    expect(upper).toEqual({ status: 429, body: expect.objectContaining({ code: 'RATE_LIMITED' }) });

    // another user behind the same address signs in; so does the admin from elsewhere
    expect((await login(office, dispatcher.email, dispatcher.password)).status).toBe(200);
    expect((await login('203.0.113.9', admin.email, admin.password)).status).toBe(200);

    // the address's own budget (15 a minute, all accounts): 13 spent above, two more
    expect((await login(office, customer.email, customer.password)).status).toBe(200);
    expect((await login(office, customer.email, 'wrong')).status).toBe(401);
    const over = await login(office, customer.email, customer.password);
    expect(over).toEqual({ status: 429, body: expect.objectContaining({ code: 'RATE_LIMITED' }) });
  });

  it('answers 400, not 500, to a login body without an e-mail (the per-account key needs one)', async () => {
    const res = await fetch(`${p.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.44' },
      body: JSON.stringify({ password: 'x' }),
    });
    expect(res.status).toBe(400);
  });
});
