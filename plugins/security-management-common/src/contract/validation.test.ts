import {
  exceptionQuerySchema,
  idParamsSchema,
  incidentInputSchema,
  testRecordInputSchema,
} from '../api';
import { reviewInputSchema } from '../reviews';
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

describe('the building blocks', () => {
  const problemsOf = (
    schema: Parameters<typeof checkInput>[0],
    value: unknown,
  ) => {
    const check = checkInput(schema, value);
    return check.success ? [] : describeProblems(check.problems);
  };

  it('refuse a NUL character in every kind of string, naming the field', () => {
    expect(
      problemsOf(testRecordInputSchema, {
        controlRef: 'tls\u0000',
        entityRef: 'component:default/shop',
        result: 'pass',
        evidenceUrl: 'https://ci.example.com/runs/1\u0000',
        notes: 'ok\u0000',
        externalId: 'run-\u00001',
      }),
    ).toBe(
      [
        'controlRef: must not contain NUL characters',
        'evidenceUrl: must not contain NUL characters',
        'notes: must not contain NUL characters',
        'externalId: must not contain NUL characters',
      ].join('; '),
    );
    expect(
      problemsOf(incidentInputSchema, {
        title: 'Leak',
        severity: 'high',
        affectedEntities: ['component:default/shop\u0000'],
        externalReferences: [
          { type: 'ticket', url: 'https://t.example.com/1', label: '\u0000' },
        ],
      }),
    ).toBe(
      [
        'affectedEntities[0]: must not contain NUL characters',
        'externalReferences[0].label: must not contain NUL characters',
      ].join('; '),
    );
    expect(problemsOf(idParamsSchema, { id: 'abc\u0000' })).toBe(
      'id: must not contain NUL characters',
    );
  });

  it.each([
    ['1969-12-31T23:59:59.999Z'],
    ['0000-01-01T00:00:00+01:00'],
    ['9999-12-31T23:00:00-05:00'],
  ])('refuse the timestamp %p outside 1970 to 9999', value => {
    const message =
      'must be between 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z';
    expect(
      problemsOf(reviewInputSchema, {
        entityRef: 'component:default/shop',
        outcome: 'approved',
        findings: 'ok',
        reviewedAt: value,
      }),
    ).toBe(`reviewedAt: ${message}`);
    expect(problemsOf(exceptionQuerySchema, { expiresBefore: value })).toBe(
      `expiresBefore: ${message}`,
    );
  });

  it('accept timestamps at both ends of the range', () => {
    for (const value of ['1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z']) {
      expect(
        checkInput(exceptionQuerySchema, { expiresBefore: value }),
      ).toEqual({
        success: true,
        data: expect.objectContaining({
          expiresBefore: new Date(value).toISOString(),
        }),
      });
    }
  });

  it('word a malformed timestamp as such, not as out of range', () => {
    expect(problemsOf(exceptionQuerySchema, { expiresBefore: 'soon' })).toBe(
      'expiresBefore: expected an ISO-8601 timestamp with a time zone, such as 2025-01-31T09:00:00Z',
    );
  });
});
