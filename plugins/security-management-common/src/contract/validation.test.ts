import { testRecordInputSchema, reviewInputSchema } from '../api';
import { checkInput, describeProblems, fieldProblems } from './validation';

describe('checkInput', () => {
  it('normalises refs and timestamps on the way in', () => {
    const check = checkInput(testRecordInputSchema, {
      controlRef: 'Encrypt-Data-In-Transit',
      entityRef: 'Component:payments-api',
      result: 'pass',
      testedAt: '2026-01-31T10:00:00+02:00',
    });
    expect(check).toEqual({
      success: true,
      data: {
        controlRef: 'securitycontrol:default/encrypt-data-in-transit',
        entityRef: 'component:default/payments-api',
        result: 'pass',
        testedAt: '2026-01-31T08:00:00.000Z',
      },
    });
  });

  it('names every bad field with a readable message', () => {
    const check = checkInput(testRecordInputSchema, {
      controlRef: 'a b',
      result: 'maybe',
      evidenceUrl: 'ftp://example.com/x',
      extra: 1,
    });
    expect(check.success).toBe(false);
    if (check.success) return;
    expect(describeProblems(check.problems)).toBe(
      [
        "controlRef: 'a b' is not an entity ref; expected [securitycontrol:][namespace/]name",
        'entityRef: is required',
        'result: expected one of pass|fail|partial|error',
        'evidenceUrl: expected an http or https URL',
        "unknown field 'extra'",
      ].join('; '),
    );
  });

  it('summarises after twenty problems', () => {
    const problems = Array.from({ length: 25 }, (_, i) => ({
      path: `records[${i}]`,
      message: 'bad',
    }));
    expect(describeProblems(problems)).toMatch(
      /records\[19\]: bad; and 5 more$/,
    );
  });
});

describe('fieldProblems', () => {
  it('gives a form one message per field, including cross-field rules', () => {
    expect(
      fieldProblems(reviewInputSchema, {
        entityRef: 'component:default/payments-api',
        outcome: 'approved-with-conditions',
        findings: '   ',
        conditions: [],
      }),
    ).toEqual({
      findings: 'must not be empty',
      conditions: 'approved-with-conditions needs at least one condition',
    });
  });

  it('is empty for valid values', () => {
    expect(
      fieldProblems(reviewInputSchema, {
        entityRef: 'component:default/payments-api',
        outcome: 'approved',
        findings: 'Fine',
      }),
    ).toEqual({});
  });
});
