// Whether a login token still stands: it names the user and the user's token version at login; logout (or a
// change of the account) bumps the version, so every token issued before stops at once
// (docs/adr/0006-token-revocation.md). Pure: the account is looked up by the caller.
import type { Principal, Role } from './access.ts';

/** What a login token carries. `exp` (seconds since the epoch) is added by the signer. */
export interface TokenClaims extends Principal {
  /** The user's tokenVersion when the token was issued. */
  ver: number;
  exp?: number;
}

/** The account as it is now (undefined: it no longer exists). */
export interface AccountState {
  tokenVersion: number;
  role: Role;
  tenantId: string | null;
  /** An administrator disabled the account: every token is refused while it is disabled. */
  disabled?: boolean;
}

/** Reads and revokes accounts' tokens (adapter: common/http/prisma-accounts.ts). */
export interface Accounts {
  state(userId: string): Promise<AccountState | undefined>;
  states(userIds: string[]): Promise<Map<string, AccountState>>;
  /** Bumps the user's token version: every token issued so far is refused from now on. */
  revoke(userId: string): Promise<void>;
}

export type SessionVerdict =
  { ok: true } | { ok: false; code: 'AUTH_TOKEN_REVOKED' | 'AUTH_TOKEN_EXPIRED'; reason: string };

export function checkSession(
  claims: TokenClaims,
  account: AccountState | undefined,
  now: Date,
): SessionVerdict {
  if (claims.exp !== undefined && claims.exp * 1000 <= now.getTime())
    return { ok: false, code: 'AUTH_TOKEN_EXPIRED', reason: 'the token has expired' };
  if (!account) return { ok: false, code: 'AUTH_TOKEN_REVOKED', reason: 'the account no longer exists' };
  if (account.disabled) return { ok: false, code: 'AUTH_TOKEN_REVOKED', reason: 'the account is disabled' };
  if (claims.ver !== account.tokenVersion)
    return {
      ok: false,
      code: 'AUTH_TOKEN_REVOKED',
      reason: 'the token was revoked (logout or account change)',
    };
  if (claims.role !== account.role || claims.tenantId !== account.tenantId)
    return { ok: false, code: 'AUTH_TOKEN_REVOKED', reason: "the account's role or tenant has changed" };
  return { ok: true };
}

/** Milliseconds until the token expires (Infinity without an expiry), never negative. */
export function msUntilExpiry(claims: TokenClaims, now: Date): number {
  if (claims.exp === undefined) return Infinity;
  return Math.max(0, claims.exp * 1000 - now.getTime());
}
