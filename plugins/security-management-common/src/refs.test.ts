import { normalizeEntityRef } from './refs';

describe('normalizeEntityRef', () => {
  it('gives the full lower-case form', () => {
    expect(normalizeEntityRef('payments-team', { defaultKind: 'Group' })).toBe(
      'group:default/payments-team',
    );
    expect(normalizeEntityRef('Component:Prod/Payments-API')).toBe(
      'component:prod/payments-api',
    );
    expect(
      normalizeEntityRef('ledger', {
        defaultKind: 'System',
        defaultNamespace: 'emea',
      }),
    ).toBe('system:emea/ledger');
  });

  it.each([['group:a:b'], ['component:default/a b'], [''], [42], ['payments']])(
    'refuses %p, which the catalog would not accept',
    value => {
      expect(normalizeEntityRef(value)).toBeUndefined();
    },
  );
});
