import {
  addDuration,
  ControlStatus,
  controlStatus,
  MAX_POSTURE_CHANGES,
  POSTURE_CHANGE_KINDS,
  PostureChange,
  PostureChangeKind,
  PostureChanges,
  TestResult,
  toMillis,
} from '@open-itsm/plugin-security-management-common';

/** What a pair's status at an instant depends on (see controlStatus). */
export interface PairStateAt {
  latest?: { result: TestResult; testedAt: number };
  exceptionExpiresAt?: number;
}

/** An applicable pair with its state at the start and end of a period. */
export interface PairHistory {
  entityRef: string;
  entityTitle?: string;
  controlRef: string;
  controlTitle: string;
  cadence: string;
  atStart: PairStateAt;
  atEnd: PairStateAt;
}

/** The kind of change between two statuses, if it is one the list names. */
function changeKind(
  before: ControlStatus,
  after: ControlStatus,
): PostureChangeKind | undefined {
  if (after === 'failing' && before !== 'failing') return 'new-failure';
  if (after === 'overdue' && before !== 'overdue') return 'newly-overdue';
  if (after === 'passing' && (before === 'failing' || before === 'overdue')) {
    return 'fixed';
  }
  return undefined;
}

/**
 * When a change happened: the test that failed or passed, or when the last
 * pass went out of date; never before the period began (a status that
 * changed because an exception ended changed when it ended, within it).
 */
function changedAt(
  kind: PostureChangeKind,
  pair: PairHistory,
  from: number,
): number {
  const latest = pair.atEnd.latest;
  let at = from;
  if (latest) {
    at =
      kind === 'newly-overdue'
        ? toMillis(addDuration(latest.testedAt, pair.cadence))
        : latest.testedAt;
  }
  const endedException = pair.atStart.exceptionExpiresAt;
  if (endedException !== undefined) at = Math.max(at, endedException);
  return Math.max(at, from);
}

/**
 * The pairs whose status changed between `from` and `to` in one of the
 * named ways, with -common's controlStatus at both instants; newest first,
 * at most MAX_POSTURE_CHANGES, with the counts of all.
 */
export function postureChanges(options: {
  pairs: PairHistory[];
  from: number;
  to: number;
}): PostureChanges {
  const { pairs, from, to } = options;
  const counts = Object.fromEntries(
    POSTURE_CHANGE_KINDS.map(kind => [kind, 0]),
  ) as Record<PostureChangeKind, number>;
  const changes: Array<PostureChange & { atMillis: number }> = [];
  for (const pair of pairs) {
    const before = controlStatus({
      cadence: pair.cadence,
      ...pair.atStart,
      now: from,
    });
    const after = controlStatus({
      cadence: pair.cadence,
      ...pair.atEnd,
      now: to,
    });
    const kind = changeKind(before, after);
    if (!kind) continue;
    counts[kind] += 1;
    const atMillis = changedAt(kind, pair, from);
    changes.push({
      kind,
      entityRef: pair.entityRef,
      ...(pair.entityTitle ? { entityTitle: pair.entityTitle } : {}),
      controlRef: pair.controlRef,
      controlTitle: pair.controlTitle,
      before,
      after,
      at: new Date(atMillis).toISOString(),
      atMillis,
    });
  }
  changes.sort(
    (a, b) =>
      b.atMillis - a.atMillis ||
      a.entityRef.localeCompare(b.entityRef, 'en') ||
      a.controlRef.localeCompare(b.controlRef, 'en'),
  );
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    counts,
    items: changes
      .slice(0, MAX_POSTURE_CHANGES)
      .map(({ atMillis: _, ...change }) => change),
    totalCount: changes.length,
  };
}
