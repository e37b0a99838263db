import { parseEntityRef } from '@backstage/catalog-model';
import { DigestEntity, OwnerDigest } from './digestQueries';
import { OwnerNotificationSeverity } from './OwnerNotifier';

/** How many entities a line of the digest names before "and N more". */
const NAMED_ENTITIES = 5;

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function total(entities: DigestEntity[]): number {
  return entities.reduce((sum, entity) => sum + entity.count, 0);
}

/** The name part of an entity ref, or the ref when it cannot be read. */
function refName(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

function nameOf(entity: DigestEntity): string {
  return entity.title || refName(entity.entityRef);
}

/** "checkout (3), payments-api (1) and 4 more", most items first. */
function entityList(entities: DigestEntity[]): string {
  const sorted = [...entities].sort(
    (a, b) => b.count - a.count || a.entityRef.localeCompare(b.entityRef),
  );
  const named = sorted
    .slice(0, NAMED_ENTITIES)
    .map(entity =>
      entity.count > 1 ? `${nameOf(entity)} (${entity.count})` : nameOf(entity),
    );
  const more = sorted.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}

/** Whether a digest has anything to tell. */
export function isDigestEmpty(digest: OwnerDigest): boolean {
  return (
    digest.overdueTests.length === 0 &&
    digest.reviewsOverdue.length === 0 &&
    digest.reviewsDueSoon.length === 0 &&
    digest.exceptionsExpiring.length === 0 &&
    digest.advisoryFindings.length === 0 &&
    digest.alerts.length === 0
  );
}

/**
 * The notification of an owner's digest: a title naming the owner (someone
 * in two teams gets one digest per team) and counting what is to do, most
 * urgent first, and a line per kind naming the entities. High
 * severity when something is overdue or a critical alert is active.
 */
export function digestMessage(digest: OwnerDigest): {
  title: string;
  description: string;
  severity: OwnerNotificationSeverity;
} {
  const headline: string[] = [];
  const lines: string[] = [];
  const tests = total(digest.overdueTests);
  if (tests > 0) {
    headline.push(plural(tests, 'overdue test', 'overdue tests'));
    lines.push(
      `Tests overdue: ${plural(tests, 'control', 'controls')} on ${entityList(
        digest.overdueTests,
      )}.`,
    );
  }
  if (digest.reviewsOverdue.length > 0) {
    headline.push(
      plural(digest.reviewsOverdue.length, 'overdue review', 'overdue reviews'),
    );
    lines.push(`Reviews overdue: ${entityList(digest.reviewsOverdue)}.`);
  }
  if (digest.reviewsDueSoon.length > 0) {
    headline.push(
      plural(digest.reviewsDueSoon.length, 'review due', 'reviews due'),
    );
    lines.push(`Reviews due soon: ${entityList(digest.reviewsDueSoon)}.`);
  }
  const exceptions = total(digest.exceptionsExpiring);
  if (exceptions > 0) {
    headline.push(
      plural(exceptions, 'exception expiring', 'exceptions expiring'),
    );
    lines.push(
      `Exceptions expiring soon: ${entityList(digest.exceptionsExpiring)}.`,
    );
  }
  const findings = total(digest.advisoryFindings);
  if (findings > 0) {
    headline.push(plural(findings, 'advisory finding', 'advisory findings'));
    lines.push(
      `Advisory findings to act on: ${entityList(digest.advisoryFindings)}.`,
    );
  }
  if (digest.alerts.length > 0) {
    headline.push(
      plural(digest.alerts.length, 'active alert', 'active alerts'),
    );
    const named = digest.alerts
      .slice(0, NAMED_ENTITIES)
      .map(alert => `${alert.title} (${alert.severity})`);
    const more = digest.alerts.length - named.length;
    lines.push(
      `Active alerts: ${named.join(', ')}${
        more > 0 ? ` and ${more} more` : ''
      }.`,
    );
  }
  const urgent =
    tests > 0 ||
    digest.reviewsOverdue.length > 0 ||
    digest.alerts.some(alert => alert.severity === 'critical');
  return {
    title: `Security for ${refName(digest.owner)}: ${headline.join(', ')}`,
    description: lines.join('\n'),
    severity: urgent ? 'high' : 'normal',
  };
}
