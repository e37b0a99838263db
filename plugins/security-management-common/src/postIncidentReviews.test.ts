import { checkInput } from './contract/validation';
import { controlStatus, isRetestRequired } from './posture';
import {
  incidentReviewInputSchema,
  isRemediationActionOverdue,
  retestQuerySchema,
} from './postIncidentReviews';

const NOW = '2026-06-01T00:00:00.000Z';
const DAY = 86_400_000;
const at = (days: number) =>
  new Date(Date.parse(NOW) + days * DAY).toISOString();

describe('isRetestRequired', () => {
  it('holds while an incident requiring it is open, whatever the tests', () => {
    expect(
      isRetestRequired({
        retest: {},
        latest: { result: 'pass', testedAt: at(1) },
      }),
    ).toBe(true);
    expect(
      isRetestRequired({ latest: { result: 'pass', testedAt: at(1) } }),
    ).toBe(false);
  });

  it('ends with a pass tested after the last close, not at it or before', () => {
    const retest = { after: NOW };
    const pass = (testedAt: string) =>
      isRetestRequired({ retest, latest: { result: 'pass', testedAt } });
    expect(pass(at(-1))).toBe(true);
    expect(pass(NOW)).toBe(true);
    expect(pass(at(1))).toBe(false);
    expect(
      isRetestRequired({ retest, latest: { result: 'fail', testedAt: at(1) } }),
    ).toBe(true);
    expect(isRetestRequired({ retest })).toBe(true);
  });

  it('makes a fresh pass overdue and leaves other statuses alone', () => {
    const base = { cadence: 'P90D', now: NOW, retest: { after: at(-1) } };
    expect(
      controlStatus({
        ...base,
        latest: { result: 'pass', testedAt: at(-2) },
      }),
    ).toBe('overdue');
    expect(
      controlStatus({ ...base, latest: { result: 'pass', testedAt: NOW } }),
    ).toBe('passing');
    expect(
      controlStatus({ ...base, latest: { result: 'fail', testedAt: at(-2) } }),
    ).toBe('failing');
    expect(controlStatus(base)).toBe('untested');
    expect(
      controlStatus({
        ...base,
        latest: { result: 'pass', testedAt: at(-2) },
        exceptionExpiresAt: at(10),
      }),
    ).toBe('excepted');
  });
});

describe('remediation actions', () => {
  it('is overdue when due and still to do', () => {
    const now = Date.parse(NOW);
    expect(
      isRemediationActionOverdue({ status: 'open', dueAt: NOW }, now),
    ).toBe(true);
    expect(
      isRemediationActionOverdue({ status: 'in-progress', dueAt: at(1) }, now),
    ).toBe(false);
    expect(
      isRemediationActionOverdue({ status: 'done', dueAt: at(-1) }, now),
    ).toBe(false);
    expect(isRemediationActionOverdue({ status: 'open' }, now)).toBe(false);
  });

  it('names every bad field of a review', () => {
    const result = checkInput(incidentReviewInputSchema, {
      version: 1,
      rootCause: '',
      lessons: '',
      remediationActions: [
        { title: 'x', owner: 'component:default/shop', dueAt: 'tomorrow' },
      ],
    });
    expect(result.success).toBe(false);
    const paths = result.success ? [] : result.problems.map(p => p.path);
    expect(paths).toEqual([
      'rootCause',
      'remediationActions[0].owner',
      'remediationActions[0].dueAt',
    ]);
  });

  it('normalises owners and defaults the status to open', () => {
    const result = checkInput(incidentReviewInputSchema, {
      version: 1,
      rootCause: 'cause',
      lessons: '',
      remediationActions: [
        { title: 'x', owner: 'team-a', dueAt: '2026-07-01T12:00:00+02:00' },
        { title: 'y', owner: 'user:jane', dueAt: NOW, status: 'done' },
      ],
    });
    expect(result.success && result.data.remediationActions).toEqual([
      {
        title: 'x',
        owner: 'group:default/team-a',
        dueAt: '2026-07-01T10:00:00.000Z',
        status: 'open',
      },
      { title: 'y', owner: 'user:default/jane', dueAt: NOW, status: 'done' },
    ]);
  });

  it('asks retests for an entity or an owner', () => {
    expect(checkInput(retestQuerySchema, {}).success).toBe(false);
    expect(checkInput(retestQuerySchema, { owner: 'team-a' }).success).toBe(
      true,
    );
  });
});
