import { DateTime } from 'luxon';
import {
  describeCadence,
  describeNextTest,
  describeReviewDue,
  describeScheduledDue,
  humanize,
  truncateText,
} from './format';

describe('describeReviewDue', () => {
  const now = DateTime.fromISO('2025-03-01T12:00:00Z');

  it('says when a review is due', () => {
    expect(describeReviewDue({ nextDueAt: '2025-03-13T12:00:00Z' }, now)).toBe(
      'due in 12 days',
    );
  });

  it('says how late an overdue review is', () => {
    expect(describeReviewDue({ nextDueAt: '2025-02-26T11:00:00Z' }, now)).toBe(
      'overdue by 3 days',
    );
    expect(describeReviewDue({ nextDueAt: '2024-12-01T12:00:00Z' }, now)).toBe(
      'overdue by 3 months',
    );
  });

  it('says when there was never a review', () => {
    expect(describeReviewDue({}, now)).toBe('never reviewed');
  });
});

describe('describeCadence', () => {
  it.each([
    ['P90D', 'every 90 days'],
    ['P1M', 'every month'],
    ['P1Y', 'every year'],
    ['P2W', 'every 2 weeks'],
    ['P1Y6M', 'every 1 year, 6 months'],
    ['soon', 'soon'],
  ])('describes %s as "%s"', (cadence, words) => {
    expect(describeCadence(cadence)).toBe(words);
  });
});

describe('humanize', () => {
  it('turns kebab-case values into words', () => {
    expect(humanize('penetration-test')).toBe('Penetration test');
    expect(humanize('never-reviewed')).toBe('Never reviewed');
  });
});

describe('truncateText', () => {
  it('leaves a short text alone', () => {
    expect(truncateText('Encrypt data in transit', 30)).toBe(
      'Encrypt data in transit',
    );
    expect(truncateText('exactly', 7)).toBe('exactly');
  });

  it('cuts a long text to the limit, ending in an ellipsis', () => {
    const cut = truncateText('x'.repeat(10_000), 200);
    expect(cut).toHaveLength(200);
    expect(cut.endsWith('x…')).toBe(true);
    expect(truncateText('Encrypt data in transit', 9)).toBe('Encrypt…');
  });

  it('never splits a character made of two code units', () => {
    expect(truncateText('🔒🔒🔒🔒', 3)).toBe('🔒🔒…');
    expect(truncateText('🔒🔒🔒', 3)).toBe('🔒🔒🔒');
  });
});

describe('describeNextTest', () => {
  const inTwoMonths = DateTime.now().plus({ months: 2, days: 1 }).toISO()!;

  it('gives the due date of a control whose latest test passed', () => {
    expect(describeNextTest({ nextDueAt: inTwoMonths })).toBe('in 2 months');
  });

  it('says a tested control without a due date (it failed) is to be retested now', () => {
    expect(describeNextTest({ lastTestedAt: '2025-01-01T00:00:00Z' })).toBe(
      'Retest now',
    );
  });

  it('says an untested control is due now', () => {
    expect(describeNextTest({})).toBe('Now');
  });
});

describe('describeScheduledDue', () => {
  it('words a failing test and one never done', () => {
    expect(describeScheduledDue({ state: 'failing' })).toBe('Retest now');
    expect(describeScheduledDue({ state: 'untested' })).toBe('Never tested');
  });
});
