import { ACTIVE_ADVISORY_FINDING_STATUSES } from '@open-itsm/plugin-security-management-common';
import { Knex } from 'knex';
import { postureQuery } from '../posture/postureSql';

/** An entity in a digest: its ref, title and how many items it has. */
export interface DigestEntity {
  entityRef: string;
  title?: string;
  count: number;
}

/** What an owner's digest of one day lists, each by entity. */
export interface OwnerDigest {
  owner: string;
  /** Controls whose passing test is past its cadence. */
  overdueTests: DigestEntity[];
  /** Reviews past their due date. */
  reviewsOverdue: DigestEntity[];
  /** Reviews due within the due-soon window, or required by a change. */
  reviewsDueSoon: DigestEntity[];
  /** Approved exceptions expiring within the window. */
  exceptionsExpiring: DigestEntity[];
  /** Advisory findings nobody acknowledged yet, or active and past due. */
  advisoryFindings: DigestEntity[];
  /** Active alerts affecting the owner's entities, once each. */
  alerts: Array<{ id: string; title: string; severity: string }>;
}

/** The review statuses a digest reminds of. */
const REVIEW_DUE_STATUSES = ['overdue', 'due-soon', 'review-required'];

function emptyDigest(owner: string): OwnerDigest {
  return {
    owner,
    overdueTests: [],
    reviewsOverdue: [],
    reviewsDueSoon: [],
    exceptionsExpiring: [],
    advisoryFindings: [],
    alerts: [],
  };
}

type Row = Record<string, any>;

/**
 * Collects the digest of every owner with something to do, in one pass
 * per kind over the database: five grouped queries whatever the number of
 * entities, so a day's digests of 10,000 entities are computed in seconds.
 * Only entities still in the catalog and with an owner count; ownership is
 * the catalog snapshot's, as the posture pages show it.
 */
export async function collectOwnerDigests(
  db: Knex,
  options: { now: Date; dueSoonAt: Date; exceptionsExpiringBefore: Date },
): Promise<OwnerDigest[]> {
  const now = options.now.getTime();
  const digests = new Map<string, OwnerDigest>();
  const digestOf = (owner: string) => {
    let digest = digests.get(owner);
    if (!digest) {
      digest = emptyDigest(owner);
      digests.set(owner, digest);
    }
    return digest;
  };
  const entity = (row: Row): DigestEntity => ({
    entityRef: row.entity_ref,
    title: row.title ?? undefined,
    count: Number(row.count ?? 1),
  });

  // Tests overdue and reviews due, from the posture definition itself.
  const posture: Row[] = await postureQuery(db, {
    now,
    dueSoonAt: options.dueSoonAt.getTime(),
  })
    .whereNotNull('owner')
    .where(q =>
      q
        .where('overdue', '>', 0)
        .orWhereIn('review_status', REVIEW_DUE_STATUSES),
    )
    .select('entity_ref', 'title', 'owner', 'overdue', 'review_status');
  for (const row of posture) {
    const digest = digestOf(row.owner);
    const overdue = Number(row.overdue);
    if (overdue > 0)
      digest.overdueTests.push({ ...entity(row), count: overdue });
    if (row.review_status === 'overdue') {
      digest.reviewsOverdue.push({ ...entity(row), count: 1 });
    } else if (REVIEW_DUE_STATUSES.includes(row.review_status)) {
      digest.reviewsDueSoon.push({ ...entity(row), count: 1 });
    }
  }

  const exceptions: Row[] = await db('exceptions as x')
    .join('entities as e', 'e.entity_ref', 'x.entity_ref')
    .whereNull('e.removed_at')
    .whereNotNull('e.owner')
    .where('x.status', 'approved')
    .where('x.expires_at', '>', now)
    .where('x.expires_at', '<=', options.exceptionsExpiringBefore.getTime())
    .groupBy('e.owner', 'e.entity_ref', 'e.title')
    .select('e.owner', 'e.entity_ref', 'e.title', db.raw('COUNT(*) AS count'));
  for (const row of exceptions) {
    digestOf(row.owner).exceptionsExpiring.push(entity(row));
  }

  const findings: Row[] = await db('advisory_findings as f')
    .join('entities as e', 'e.entity_ref', 'f.entity_ref')
    .whereNull('e.removed_at')
    .whereNotNull('e.owner')
    .where(q =>
      q
        .where('f.status', 'open')
        .orWhere(active =>
          active
            .whereIn('f.status', ACTIVE_ADVISORY_FINDING_STATUSES)
            .where('f.due_at', '<=', now),
        ),
    )
    .groupBy('e.owner', 'e.entity_ref', 'e.title')
    .select('e.owner', 'e.entity_ref', 'e.title', db.raw('COUNT(*) AS count'));
  for (const row of findings) {
    digestOf(row.owner).advisoryFindings.push(entity(row));
  }

  const alerts: Row[] = await db('security_alerts as s')
    .join('security_alert_entities as se', 'se.alert_id', 's.id')
    .join('entities as e', 'e.entity_ref', 'se.entity_ref')
    .whereNull('e.removed_at')
    .whereNotNull('e.owner')
    .where('s.status', 'active')
    .where(q => q.whereNull('s.expires_at').orWhere('s.expires_at', '>', now))
    .distinct('e.owner', 's.id', 's.title', 's.severity', 's.raised_at')
    .orderBy('s.raised_at', 'desc');
  for (const row of alerts) {
    digestOf(row.owner).alerts.push({
      id: row.id,
      title: row.title,
      severity: row.severity,
    });
  }

  return [...digests.values()].sort((a, b) => a.owner.localeCompare(b.owner));
}
