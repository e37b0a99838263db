import { Entity } from '@backstage/catalog-model';
import {
  addDuration,
  controlStatus,
  emptyControlCounts,
  emptyIncidentCounts,
  postureGrade,
  postureScore,
  readRiskTier,
  reviewStatus,
  toMillis,
} from './posture';
import { ControlStatusCounts, ReviewStatus, TestResult } from './types';

const at = (iso: string) => Date.parse(iso);

describe('controlStatus', () => {
  const testedAt = '2024-03-01T12:00:00.000Z';

  it('is untested without a test record', () => {
    expect(controlStatus({ cadence: 'P90D', now: testedAt })).toBe('untested');
  });

  it.each<TestResult>(['fail', 'partial', 'error'])(
    'is failing when the latest result is %s, however recent',
    result => {
      expect(
        controlStatus({
          cadence: 'P90D',
          latest: { result, testedAt },
          now: testedAt,
        }),
      ).toBe('failing');
    },
  );

  it('is overdue exactly one cadence after the test and passing 1 ms before', () => {
    const due = at('2024-03-31T12:00:00.000Z');
    const input = {
      cadence: 'P30D',
      latest: { result: 'pass' as const, testedAt },
    };
    expect(controlStatus({ ...input, now: due })).toBe('overdue');
    expect(controlStatus({ ...input, now: due - 1 })).toBe('passing');
    expect(controlStatus({ ...input, now: due + 1 })).toBe('overdue');
  });

  it('adds a month cadence in UTC, so P1M from 31 January ends on the last day of February', () => {
    const input = {
      cadence: 'P1M',
      latest: { result: 'pass' as const, testedAt: '2023-01-31T00:00:00Z' },
    };
    expect(controlStatus({ ...input, now: '2023-02-28T00:00:00Z' })).toBe(
      'overdue',
    );
    expect(
      controlStatus({ ...input, now: at('2023-02-28T00:00:00Z') - 1 }),
    ).toBe('passing');
  });

  it('compares timestamps with different offsets as instants', () => {
    // 2024-03-01T14:00+02:00 is 12:00Z; P1D later is 2024-03-02T12:00Z.
    const input = {
      cadence: 'P1D',
      latest: {
        result: 'pass' as const,
        testedAt: '2024-03-01T14:00:00+02:00',
      },
    };
    expect(controlStatus({ ...input, now: '2024-03-02T07:00:00-05:00' })).toBe(
      'overdue',
    );
    expect(
      controlStatus({ ...input, now: '2024-03-02T06:59:59.999-05:00' }),
    ).toBe('passing');
  });

  it('counts a tested-at in the future (clock skew) as passing', () => {
    expect(
      controlStatus({
        cadence: 'P1D',
        latest: { result: 'pass', testedAt: '2024-03-02T00:00:00Z' },
        now: '2024-03-01T00:00:00Z',
      }),
    ).toBe('passing');
  });

  it('is excepted only while the exception has not expired', () => {
    const now = at('2024-03-01T00:00:00Z');
    const input = {
      cadence: 'P90D',
      latest: { result: 'fail' as const, testedAt },
    };
    expect(controlStatus({ ...input, now, exceptionExpiresAt: now })).toBe(
      'failing',
    );
    expect(controlStatus({ ...input, now, exceptionExpiresAt: now + 1 })).toBe(
      'excepted',
    );
    expect(
      controlStatus({
        cadence: 'P90D',
        now,
        exceptionExpiresAt: '2024-03-01T01:00:00.001+01:00',
      }),
    ).toBe('excepted');
    expect(
      controlStatus({
        cadence: 'P90D',
        now,
        exceptionExpiresAt: '2024-03-01T01:00:00+01:00',
      }),
    ).toBe('untested');
  });

  it('rejects a garbage timestamp instead of guessing a status', () => {
    expect(() =>
      controlStatus({
        cadence: 'P90D',
        latest: { result: 'pass', testedAt: 'yesterday' },
        now: testedAt,
      }),
    ).toThrow(/'yesterday' is not a valid timestamp/);
  });
});

describe('reviewStatus', () => {
  const now = '2024-06-01T00:00:00Z';

  it('is never-reviewed without a due date', () => {
    expect(reviewStatus({ now })).toBe('never-reviewed');
  });

  it('is overdue when the review is due now or earlier', () => {
    expect(reviewStatus({ nextDueAt: now, now })).toBe('overdue');
    expect(reviewStatus({ nextDueAt: '2024-05-01T00:00:00Z', now })).toBe(
      'overdue',
    );
  });

  it('is due-soon within 30 days by default, inclusive', () => {
    expect(reviewStatus({ nextDueAt: at(now) + 1, now })).toBe('due-soon');
    expect(reviewStatus({ nextDueAt: '2024-07-01T00:00:00Z', now })).toBe(
      'due-soon',
    );
    expect(
      reviewStatus({ nextDueAt: at('2024-07-01T00:00:00Z') + 1, now }),
    ).toBe('current');
  });

  it('honours a configured due-soon window', () => {
    const nextDueAt = '2024-06-10T00:00:00Z';
    expect(reviewStatus({ nextDueAt, now, dueSoon: 'P7D' })).toBe('current');
    expect(reviewStatus({ nextDueAt, now, dueSoon: 'P14D' })).toBe('due-soon');
  });

  it('is review-required when a change was seen after the latest review', () => {
    const nextDueAt = '2024-06-10T00:00:00Z';
    const lastReviewedAt = '2024-03-10T00:00:00Z';
    expect(
      reviewStatus({
        nextDueAt,
        now,
        lastReviewedAt,
        changedAt: '2024-05-01T00:00:00Z',
      }),
    ).toBe('review-required');
    // A review done after the change clears it; so does one at a later
    // offset of the same instant.
    expect(
      reviewStatus({
        nextDueAt,
        now,
        lastReviewedAt: '2024-05-01T02:00:00+02:00',
        changedAt: '2024-05-01T00:00:00Z',
      }),
    ).toBe('due-soon');
    // Overdue and never reviewed say more than a change does.
    expect(
      reviewStatus({ nextDueAt: now, now, lastReviewedAt, changedAt: now }),
    ).toBe('overdue');
    expect(reviewStatus({ now, changedAt: now })).toBe('never-reviewed');
  });
});

describe('postureScore', () => {
  const counts = (partial: Partial<ControlStatusCounts>) => ({
    ...emptyControlCounts(),
    ...partial,
  });
  const score = (
    partial: Partial<ControlStatusCounts>,
    extra: {
      review?: ReviewStatus;
    } = {},
  ) =>
    postureScore({
      counts: counts(partial),
      review: extra.review ?? 'current',
    });

  it('is null when no control applies', () => {
    expect(score({})).toBeNull();
    expect(score({}, { review: 'overdue' })).toBeNull();
  });

  it('weighs passing 1, excepted ½, overdue ¼, failing and untested 0', () => {
    expect(score({ passing: 4 })).toBe(100);
    expect(score({ excepted: 4 })).toBe(50);
    expect(score({ overdue: 4 })).toBe(25);
    expect(score({ failing: 2, untested: 2 })).toBe(0);
    // (2 + 0.5 + 0.25) / 4 = 68.75, rounded
    expect(score({ passing: 2, excepted: 1, overdue: 1 })).toBe(69);
    expect(score({ passing: 1, failing: 2 })).toBe(33);
  });

  it('takes 10 off for an overdue or missing review, not for one due soon', () => {
    expect(score({ passing: 1 }, { review: 'overdue' })).toBe(90);
    expect(score({ passing: 1 }, { review: 'never-reviewed' })).toBe(90);
    expect(score({ passing: 1 }, { review: 'due-soon' })).toBe(100);
  });

  it('takes 10 off when a change since the review requires another', () => {
    expect(score({ passing: 1 }, { review: 'review-required' })).toBe(90);
  });

  it('leaves open incidents out, so a score shown to anyone reveals none', () => {
    // What a caller that still passes incident counts gets: they change nothing.
    const withIncidents = {
      counts: counts({ passing: 3, failing: 1 }),
      review: 'overdue' as const,
      openIncidents: { ...emptyIncidentCounts(), critical: 2, high: 3 },
    };
    expect(postureScore(withIncidents)).toBe(65);
    expect(postureScore({ ...withIncidents, counts: counts({}) })).toBeNull();
  });

  it('never goes below 0', () => {
    expect(score({ failing: 1 }, { review: 'overdue' })).toBe(0);
  });
});

describe('postureGrade', () => {
  it.each([
    [100, 'A'],
    [90, 'A'],
    [89, 'B'],
    [80, 'B'],
    [79, 'C'],
    [70, 'C'],
    [69, 'D'],
    [60, 'D'],
    [59, 'F'],
    [0, 'F'],
    [null, 'N/A'],
  ])('grades %p as %s', (value, grade) => {
    expect(postureGrade(value)).toBe(grade);
  });
});

describe('readRiskTier', () => {
  const entity = (tier?: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      ...(tier === undefined
        ? {}
        : { annotations: { 'security.open-itsm.dev/risk-tier': tier } }),
    },
  });

  it.each([
    ['1', 1],
    ['2', 2],
    ['3', 3],
    [' 2 ', 2],
  ])('reads %p as tier %p', (raw, tier) => {
    expect(readRiskTier(entity(raw))).toBe(tier);
  });

  it.each(['0', '4', '1.0', '01', 'high', ''])('ignores %p', raw => {
    expect(readRiskTier(entity(raw))).toBeUndefined();
  });

  it('is undefined without the annotation', () => {
    expect(readRiskTier(entity())).toBeUndefined();
  });
});

describe('addDuration', () => {
  it('returns ISO-8601 in UTC', () => {
    expect(addDuration('2024-01-01T10:00:00+02:00', 'PT12H')).toBe(
      '2024-01-01T20:00:00.000Z',
    );
  });

  it('clamps P1M from 31 January to the end of February, in UTC', () => {
    expect(addDuration('2024-01-31T00:00:00Z', 'P1M')).toBe(
      '2024-02-29T00:00:00.000Z',
    );
    // In the -05:00 calendar this is 30 January, and a month later would be
    // 1 March in UTC; the UTC calendar gives the last day of February.
    expect(addDuration('2023-01-30T23:00:00-05:00', 'P1M')).toBe(
      '2023-02-28T04:00:00.000Z',
    );
  });

  it.each(['90 days', '', 'P1X', '1 month'])(
    'rejects the duration %p',
    duration => {
      expect(() => addDuration('2024-01-01T00:00:00Z', duration)).toThrow(
        TypeError,
      );
    },
  );

  it('rejects a garbage start', () => {
    expect(() => addDuration('not a date', 'P1D')).toThrow(TypeError);
  });
});

describe('toMillis', () => {
  it('accepts ISO strings with any offset, Dates and millis', () => {
    const millis = at('2024-03-01T12:00:00Z');
    expect(toMillis('2024-03-01T12:00:00Z')).toBe(millis);
    expect(toMillis('2024-03-01T14:00:00+02:00')).toBe(millis);
    expect(toMillis(new Date(millis))).toBe(millis);
    expect(toMillis(millis)).toBe(millis);
  });

  it.each<[string, string | Date | number]>([
    ['a word', 'tomorrow'],
    ['an empty string', ''],
    ['an impossible date', '2024-02-30T00:00:00Z'],
    ['an invalid Date', new Date('nope')],
    ['NaN', NaN],
    ['Infinity', Infinity],
  ])('rejects %s', (_label, value) => {
    expect(() => toMillis(value)).toThrow(TypeError);
  });
});
