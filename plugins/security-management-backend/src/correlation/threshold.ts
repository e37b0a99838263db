/** A hit of a rule not yet attached to an incident. */
export interface WindowHit {
  eventKey: string;
  occurredAt: number;
  /** Whether it arrived in the delivery being weighed. */
  isNew: boolean;
}

/** By occurredAt, then by key, so that every replica weighs alike. */
function byTime(a: WindowHit, b: WindowHit): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt - b.occurredAt;
  if (a.eventKey === b.eventKey) return 0;
  return a.eventKey < b.eventKey ? -1 : 1;
}

/**
 * The hits a rule fires on: the first window of `windowMs` (ending at a
 * hit's occurredAt, start excluded) that holds `threshold` hits, at least
 * one of them new. Out-of-order events count where they occurred, so a
 * late event can complete an earlier window. Undefined when no window
 * reaches the threshold.
 */
export function firingWindow(
  hits: WindowHit[],
  threshold: number,
  windowMs: number,
): WindowHit[] | undefined {
  const sorted = [...hits].sort(byTime);
  let start = 0;
  let newInWindow = 0;
  for (let end = 0; end < sorted.length; end++) {
    if (sorted[end].isNew) newInWindow++;
    while (sorted[start].occurredAt <= sorted[end].occurredAt - windowMs) {
      if (sorted[start].isNew) newInWindow--;
      start++;
    }
    if (end - start + 1 >= threshold && newInWindow > 0) {
      return sorted.slice(start, end + 1);
    }
  }
  return undefined;
}
