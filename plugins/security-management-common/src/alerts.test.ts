import {
  alertInputSchema,
  alertQuerySchema,
  alertResolutionInputSchema,
} from './alerts';
import { checkInput, describeProblems } from './contract/validation';

function problemsOf(schema: Parameters<typeof checkInput>[0], value: unknown) {
  const check = checkInput(schema, value);
  return check.success ? '' : describeProblems(check.problems);
}

const alert = {
  title: 'Credential stuffing against the login API',
  description: 'A botnet is replaying leaked passwords.',
  severity: 'high',
  precautions: 'Watch the failed-login rate; enforce MFA for admins.',
};

describe('alertInputSchema', () => {
  it('takes entity refs, normalised, or a catalog filter, or both', () => {
    const check = checkInput(alertInputSchema, {
      ...alert,
      entityRefs: ['Component:Default/Payments-API'],
      filter: { kind: 'component', 'spec.lifecycle': ['production'] },
    });
    expect(check).toEqual({
      success: true,
      data: expect.objectContaining({
        entityRefs: ['component:default/payments-api'],
        filter: { kind: 'component', 'spec.lifecycle': ['production'] },
      }),
    });
  });

  it('names entityRefs when neither refs nor a filter is given', () => {
    expect(problemsOf(alertInputSchema, alert)).toBe(
      'entityRefs: name the affected entities: give entityRefs, a catalog filter, or both',
    );
  });

  it('names each bad field', () => {
    expect(
      problemsOf(alertInputSchema, {
        ...alert,
        title: ' ',
        severity: 'urgent',
        precautions: undefined,
        entityRefs: ['not a ref'],
        expiresAt: 'tomorrow',
      }),
    ).toBe(
      [
        'title: must not be empty',
        'severity: expected one of critical|high|medium|low',
        'precautions: is required',
        "entityRefs[0]: 'not a ref' is not an entity ref; expected kind:[namespace/]name",
        'expiresAt: expected an ISO-8601 timestamp with a time zone, such as 2025-01-31T09:00:00Z',
      ].join('; '),
    );
  });

  it('refuses an empty filter and keys that are no catalog field', () => {
    expect(problemsOf(alertInputSchema, { ...alert, filter: {} })).toBe(
      'filter: must have at least one field, such as kind',
    );
    expect(
      problemsOf(alertInputSchema, { ...alert, filter: { 'kind!': 'x' } }),
    ).toBe(
      "filter.kind!: 'kind!' is not a catalog field; use one such as kind, spec.lifecycle or relations.ownedBy",
    );
    expect(
      problemsOf(alertInputSchema, { ...alert, filter: { kind: [] } }),
    ).toBe('filter.kind: must have at least 1 item');
  });
});

describe('alertQuerySchema', () => {
  it('lists every status by default and takes one status or all', () => {
    expect(alertQuerySchema.parse({})).toMatchObject({
      status: 'all',
      limit: 50,
      offset: 0,
    });
    expect(problemsOf(alertQuerySchema, { status: 'open' })).toBe(
      'status: expected one of active|resolved|expired|all',
    );
  });
});

describe('alertResolutionInputSchema', () => {
  it('needs a resolution', () => {
    expect(problemsOf(alertResolutionInputSchema, { resolution: '' })).toBe(
      'resolution: must not be empty',
    );
  });
});
