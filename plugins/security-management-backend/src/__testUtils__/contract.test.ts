import { contractProblems, RecordedResponse } from './contract';

const record = {
  id: 'r-1',
  controlRef: 'securitycontrol:default/encrypt-data-in-transit',
  entityRef: 'component:default/payments-api',
  result: 'pass',
  testedAt: '2026-01-01T00:00:00.000Z',
  tester: 'ci-pipeline',
  method: 'automated',
  recordedAt: '2026-01-01T00:00:01.000Z',
};

function answer(overrides: Partial<RecordedResponse>): RecordedResponse {
  return {
    method: 'POST',
    url: '/api/security-management/test-records',
    status: 201,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ record, created: true }),
    ...overrides,
  };
}

describe('contractProblems', () => {
  it('accepts an answer the contract declares', () => {
    expect(contractProblems(answer({}))).toEqual([]);
    expect(
      contractProblems(
        answer({
          status: 400,
          body: JSON.stringify({
            error: { name: 'InputError', message: 'Invalid request body' },
            request: { method: 'POST', url: '/test-records' },
            response: { statusCode: 400 },
          }),
        }),
      ),
    ).toEqual([]);
  });

  it('refuses a field the contract does not name, and a missing one', () => {
    const { recordedAt, ...missing } = record;
    expect(
      contractProblems(
        answer({
          body: JSON.stringify({ record: { ...missing, secret: 1 } }),
        }),
      ),
    ).toEqual([
      expect.stringMatching(/body must have required property 'created'/),
      expect.stringMatching(
        /body\/record must have required property 'recordedAt'/,
      ),
      expect.stringMatching(
        /body\/record must NOT have additional properties 'secret'/,
      ),
    ]);
  });

  it('refuses a status or a route the contract does not have', () => {
    expect(contractProblems(answer({ status: 202 }))).toEqual([
      expect.stringMatching(/status not in the contract/),
    ]);
    expect(
      contractProblems(answer({ url: '/api/security-management/nope' })),
    ).toEqual([expect.stringMatching(/no route of the contract/)]);
    expect(
      contractProblems(
        answer({ url: '/api/security-management/nope', status: 404 }),
      ),
    ).toEqual([]);
  });

  it('matches path parameters and ignores the query string', () => {
    expect(
      contractProblems(
        answer({
          method: 'GET',
          url: '/api/security-management/incidents/abc/timeline?x=1',
          status: 200,
          body: JSON.stringify({ items: [] }),
        }),
      ),
    ).toEqual([]);
  });
});
