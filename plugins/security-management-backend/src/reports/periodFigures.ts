import {
  addDuration,
  ExceptionStatus,
  ReportException,
  ReportExceptionFigures,
  ReportTestCoverage,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { ReportInstants } from './period';
import { CoverageFacts, ExceptionFacts } from './ReportStore';

/*
 * The report's exception figures and test coverage, from their facts.
 */

/**
 * The status of an exception at an instant: requested until decided, then
 * rejected, or approved until its expiry (exclusive, as in controlStatus).
 */
export function exceptionStatusAt(
  exception: ExceptionFacts,
  at: number,
): ExceptionStatus {
  if (exception.decidedAt === undefined || exception.decidedAt > at) {
    return 'requested';
  }
  if (exception.status === 'rejected') return 'rejected';
  return exception.expiresAt <= at ? 'expired' : 'approved';
}

function within(at: number | undefined, from: number, to: number) {
  return at !== undefined && at >= from && at <= to;
}

const iso = (millis: number) => new Date(millis).toISOString();

/**
 * Exceptions at as-of (active, pending) and within the period (requested,
 * approved, rejected, expired); the items are every exception that is one
 * of those, most recently requested first.
 */
export function exceptionFigures(
  exceptions: ExceptionFacts[],
  instants: ReportInstants,
): ReportExceptionFigures {
  const { asOf, from, to } = instants;
  const in30Days = toMillis(addDuration(asOf, 'P30D'));
  const figures: ReportExceptionFigures = {
    active: 0,
    expiringIn30Days: 0,
    expiredInPeriod: 0,
    requested: 0,
    requestedInPeriod: 0,
    approvedInPeriod: 0,
    rejectedInPeriod: 0,
    items: [],
  };
  for (const exception of exceptions) {
    const status = exceptionStatusAt(exception, asOf);
    const decided = within(exception.decidedAt, from, to);
    const approved = status === 'approved' || status === 'expired';
    const counts = {
      active: status === 'approved',
      expiringIn30Days:
        status === 'approved' && exception.expiresAt <= in30Days,
      expiredInPeriod: approved && within(exception.expiresAt, from, to),
      requested: status === 'requested',
      requestedInPeriod: within(exception.requestedAt, from, to),
      approvedInPeriod: decided && approved,
      rejectedInPeriod: decided && status === 'rejected',
    };
    let listed = false;
    for (const [name, counted] of Object.entries(counts)) {
      if (!counted) continue;
      figures[name as keyof typeof counts] += 1;
      listed = true;
    }
    if (!listed) continue;
    const item: ReportException = {
      id: exception.id,
      controlRef: exception.controlRef,
      controlTitle: exception.controlTitle,
      entityRef: exception.entityRef,
      entityTitle: exception.entityTitle,
      status,
      justification: exception.justification,
      requestedBy: exception.requestedBy,
      requestedAt: iso(exception.requestedAt),
      expiresAt: iso(exception.expiresAt),
    };
    if (status !== 'requested') {
      item.decidedBy = exception.decidedBy;
      item.decidedAt = iso(exception.decidedAt!);
    }
    figures.items.push(item);
  }
  return figures;
}

/**
 * Test coverage within the period, in total and by control: applicable
 * pairs tested in it (passing or failing by their latest test in it), not
 * tested in it, and never tested up to as-of.
 */
export function testCoverage(pairs: CoverageFacts[]): ReportTestCoverage {
  const empty = () => ({
    applicable: 0,
    testedInPeriod: 0,
    passing: 0,
    failing: 0,
    notTestedInPeriod: 0,
    neverTested: 0,
  });
  const total = empty();
  const byControl = new Map<string, ReportTestCoverage['byControl'][number]>();
  for (const pair of pairs) {
    let control = byControl.get(pair.controlRef);
    if (!control) {
      control = {
        controlRef: pair.controlRef,
        title: pair.controlTitle,
        ...empty(),
      };
      byControl.set(pair.controlRef, control);
    }
    for (const counts of [total, control]) {
      counts.applicable += 1;
      if (pair.lastInPeriod) {
        counts.testedInPeriod += 1;
        if (pair.lastInPeriod.result === 'pass') counts.passing += 1;
        else counts.failing += 1;
      } else {
        counts.notTestedInPeriod += 1;
      }
      if (!pair.everTested) counts.neverTested += 1;
    }
  }
  return {
    ...total,
    byControl: [...byControl.values()].sort((a, b) =>
      a.controlRef < b.controlRef ? -1 : 1,
    ),
  };
}
