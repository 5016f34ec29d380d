// User administration on PostgreSQL: each change of an account and its audit entry in one transaction; a
// change that must end the account's sessions bumps its tokenVersion in the same UPDATE
// (docs/adr/0006-token-revocation.md). The caller emits `auth.revoked` so live connections close at once.
import type { Db, Prisma } from '../../common/db.ts';
import { AppError } from '../../common/errors.ts';
import type { Role } from '../../common/http/access.ts';
import { changed, snapshot, type AuditAction, type AuditEntry } from '../core/user-admin.ts';

export interface Actor {
  id: string;
  email: string;
}

const select = {
  id: true,
  email: true,
  name: true,
  role: true,
  tenantId: true,
  disabledAt: true,
  createdAt: true,
  tenant: { select: { name: true } },
  technician: { select: { code: true, name: true } },
} as const;

export type AdminUserRow = Prisma.UserGetPayload<{ select: typeof select }>;

export interface AuditRow extends AuditEntry {
  id: string;
  at: string;
}

const json = (x: Record<string, unknown> | null) => (x === null ? undefined : (x as Prisma.InputJsonObject));

export class PrismaUserAdmin {
  constructor(private readonly db: Db) {}

  async tenantExists(id: string): Promise<boolean> {
    return (await this.db.tenant.count({ where: { id } })) > 0;
  }

  /** The id of the technician with this code; ADMIN_INVALID_ACCOUNT when there is none or it has an account. */
  async technicianFor(code: string, exceptUserId?: string): Promise<string> {
    const t = await this.db.technician.findUnique({
      where: { code },
      select: { id: true, user: { select: { id: true, email: true } } },
    });
    if (!t) throw new AppError('ADMIN_INVALID_ACCOUNT', `no technician ${code}`);
    if (t.user && t.user.id !== exceptUserId)
      throw new AppError(
        'ADMIN_INVALID_ACCOUNT',
        `technician ${code} already has the account ${t.user.email}`,
      );
    return t.id;
  }

  async create(
    actor: Actor,
    u: {
      email: string;
      name: string;
      role: Role;
      tenantId: string | null;
      technicianId: string | null;
      passwordHash: string;
    },
  ): Promise<AdminUserRow> {
    try {
      return await this.db.$transaction(async (tx) => {
        const row = await tx.user.create({ data: u, select });
        await this.record(tx, actor, 'user.create', row, null, { ...snapshot(row) });
        return row;
      });
    } catch (err) {
      const target = JSON.stringify((err as { meta?: unknown }).meta ?? '');
      if ((err as { code?: string }).code === 'P2002' && target.includes('technicianId'))
        throw new AppError('ADMIN_INVALID_ACCOUNT', 'the technician already has an account');
      if ((err as { code?: string }).code === 'P2002')
        throw new AppError('ADMIN_EMAIL_TAKEN', `an account with e-mail ${u.email} exists`);
      throw err;
    }
  }

  /**
   * Changes one account and records it: `data` is the change; `revoke` bumps the token version with it;
   * `note` replaces the before/after for a change that must not be written down (a password).
   */
  async change(
    actor: Actor,
    id: string,
    action: AuditAction,
    data: Prisma.UserUpdateInput,
    opts: { revoke: boolean; note?: Record<string, unknown> },
  ): Promise<AdminUserRow> {
    return this.db.$transaction(async (tx) => {
      // lock the row: two admins changing one account record their before/after in order
      await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${id} FOR UPDATE`;
      const before = await tx.user.findUnique({ where: { id }, select });
      if (!before) throw new AppError('NOT_FOUND', 'no such user');
      const after = await tx.user.update({
        where: { id },
        data: { ...data, ...(opts.revoke ? { tokenVersion: { increment: 1 } } : {}) },
        select,
      });
      const diff = changed(snapshot(before), snapshot(after));
      await this.record(tx, actor, action, after, opts.note ? null : diff.before, opts.note ?? diff.after);
      return after;
    });
  }

  async audit(q: { limit: number; targetId?: string; before?: bigint }): Promise<AuditRow[]> {
    const rows = await this.db.auditLog.findMany({
      where: {
        ...(q.targetId ? { targetId: q.targetId } : {}),
        ...(q.before !== undefined ? { id: { lt: q.before } } : {}),
      },
      orderBy: { id: 'desc' },
      take: q.limit,
    });
    return rows.map((r) => ({
      id: r.id.toString(),
      at: r.at.toISOString(),
      action: r.action as AuditAction,
      actorId: r.actorId,
      actor: r.actor,
      targetId: r.targetId,
      target: r.target,
      before: (r.before as Record<string, unknown> | null) ?? null,
      after: (r.after as Record<string, unknown> | null) ?? null,
    }));
  }

  private async record(
    tx: Prisma.TransactionClient,
    actor: Actor,
    action: AuditAction,
    target: { id: string; email: string },
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ): Promise<void> {
    await tx.auditLog.create({
      data: {
        actorId: actor.id,
        actor: actor.email,
        action,
        targetId: target.id,
        target: target.email,
        before: json(before),
        after: json(after),
      },
    });
  }
}
