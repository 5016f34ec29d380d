// Writing one audit log entry (who, what, when, before/after; never a secret or a hash), in the caller's
// transaction when it has one. Read by administrators over GET /api/admin/audit.
import type { Prisma } from './db.ts';
import type { Principal } from './http/access.ts';

export interface AuditActor {
  id: string;
  email: string;
}

/** Who acts, as the audit log records it: the signed-in principal's id and e-mail. */
export const auditActor = (p: Pick<Principal, 'sub' | 'email'>): AuditActor => ({
  id: p.sub,
  email: p.email,
});

export interface AuditWrite {
  action: string;
  target: { id: string; label: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

type AuditWriter = { auditLog: Pick<Prisma.TransactionClient['auditLog'], 'create'> };

export async function writeAudit(db: AuditWriter, actor: AuditActor, e: AuditWrite): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: actor.id,
      actor: actor.email,
      action: e.action,
      targetId: e.target.id,
      target: e.target.label,
      before: (e.before ?? undefined) as Prisma.InputJsonValue | undefined,
      after: (e.after ?? undefined) as Prisma.InputJsonValue | undefined,
    },
  });
}
