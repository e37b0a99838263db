import { authFailure, authFailures, settingsWith } from './__fixtures__/rules';
import {
  canonicalJson,
  conditionHolds,
  eventKey,
  groupingOf,
  incidentInputFor,
  passesFilter,
  summariseEvent,
  valueAt,
} from './events';

const [rule] = settingsWith(authFailures).rules;

describe('event filtering', () => {
  it('reads dotted paths, list items by index, and nothing else', () => {
    const event = { source: { ip: '10.0.0.7', tags: ['vpn'] }, 'a.b': 1 };
    expect(valueAt(event, 'source.ip')).toBe('10.0.0.7');
    expect(valueAt(event, 'source.tags.0')).toBe('vpn');
    expect(valueAt(event, 'source.ip.length')).toBeUndefined();
    expect(valueAt(event, 'a.b')).toBeUndefined();
    expect(valueAt(event, 'constructor')).toBeUndefined();
  });

  it.each([
    ['auth.failure', 'auth.failure', true],
    ['auth.failure', 'auth.success', false],
    [404, 404, true],
    [404, '404', false],
    [true, true, true],
    [['a', 'b'], 'b', true],
    [['a', 'b'], 'c', false],
    [['a', 'b'], ['x', 'b'], true],
    ['vpn', ['ssh', 'vpn'], true],
    [{ exists: true }, 'x', true],
    [{ exists: true }, null, false],
    [{ exists: true }, undefined, false],
    [{ exists: false }, undefined, true],
    [{ exists: false }, 0, false],
  ] as const)(
    'condition %j on value %j holds: %p',
    (condition, value, holds) => {
      expect(conditionHolds(value, condition as never)).toBe(holds);
    },
  );

  it('needs every condition and the rule topic', () => {
    const [strict] = settingsWith({
      ...authFailures,
      match: { type: 'auth.failure', 'source.country': ['RU', 'KP'] },
    }).rules;
    const event = authFailure('shop', '10.0.0.7', {
      source: { ip: '10.0.0.7', country: 'KP' },
    });
    expect(passesFilter(strict, 'security', event)).toBe(true);
    expect(passesFilter(strict, 'other', event)).toBe(false);
    expect(
      passesFilter(strict, 'security', { ...event, type: 'auth.success' }),
    ).toBe(false);
    expect(
      passesFilter(strict, 'security', authFailure('shop', '10.0.0.7')),
    ).toBe(false);
  });
});

describe('fingerprints', () => {
  it('groups by the fingerprint values, with the entity normalised', () => {
    const a = groupingOf(rule, authFailure('shop', '10.0.0.7'));
    const b = groupingOf(
      rule,
      authFailure('Component:default/Shop', '10.0.0.7', { extra: 1 }),
    );
    const c = groupingOf(rule, authFailure('shop', '10.0.0.8'));
    expect(a).toEqual({
      kind: 'hit',
      key: expect.stringMatching(/^[0-9a-f]{64}$/),
      fingerprint: {
        entityRef: 'component:default/shop',
        'source.ip': '10.0.0.7',
      },
      entityRef: 'component:default/shop',
    });
    expect(b).toEqual(a);
    expect(c.kind === 'hit' && a.kind === 'hit' && c.key !== a.key).toBe(true);
  });

  it('always groups by the entity, also when the fingerprint does not name it', () => {
    const [byIp] = settingsWith({
      ...authFailures,
      fingerprint: ['source.ip'],
    }).rules;
    const shop = groupingOf(byIp, authFailure('shop', '10.0.0.7'));
    const cart = groupingOf(byIp, authFailure('cart', '10.0.0.7'));
    expect(shop).toMatchObject({
      fingerprint: {
        'source.ip': '10.0.0.7',
        entityRef: 'component:default/shop',
      },
    });
    expect(
      shop.kind === 'hit' && cart.kind === 'hit' && shop.key !== cart.key,
    ).toBe(true);
  });

  it('skips an event without a fingerprint or entity field, or with an unusable value', () => {
    const missing = { kind: 'skip', reason: 'missing-fields' };
    expect(
      groupingOf(rule, { type: 'auth.failure', entityRef: 'shop' }),
    ).toEqual(missing);
    expect(groupingOf(rule, authFailure('shop', ''))).toEqual(missing);
    expect(
      groupingOf(rule, authFailure('shop', { v4: '10.0.0.7' } as never)),
    ).toEqual(missing);
    expect(
      groupingOf(rule, { type: 'auth.failure', source: { ip: '1' } }),
    ).toEqual(missing);
    expect(groupingOf(rule, authFailure('not a ref!', '10.0.0.7'))).toEqual({
      kind: 'skip',
      reason: 'unknown-entity',
    });
  });
});

describe('idempotency keys', () => {
  it('uses the topic and the event id, or a hash of the canonical JSON', () => {
    expect(eventKey('security', { id: 'evt-1', a: 1 })).toBe(
      'id:security:evt-1',
    );
    expect(eventKey('security', { id: 42 })).toBe('id:security:42');
    expect(eventKey('siem', { id: 'evt-1' })).toBe('id:siem:evt-1');
    const hashed = eventKey('security', { b: { y: 1, x: [1, 2] }, a: 'z' });
    expect(hashed).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(eventKey('security', { a: 'z', b: { x: [1, 2], y: 1 } })).toBe(
      hashed,
    );
    expect(eventKey('other', { a: 'z', b: { x: [1, 2], y: 1 } })).not.toBe(
      hashed,
    );
    expect(eventKey('security', { a: 'z', b: { x: [2, 1], y: 1 } })).not.toBe(
      hashed,
    );
    expect(canonicalJson({ b: 1, a: [null, { d: 1, c: 2 }] })).toBe(
      '{"a":[null,{"c":2,"d":1}],"b":1}',
    );
  });
});

describe('what an incident says', () => {
  it('fills the title from the latest event and describes the firing', () => {
    const input = incidentInputFor({
      rule,
      fingerprint: {
        entityRef: 'component:default/shop',
        'source.ip': '10.0.0.7',
      },
      entityRef: 'component:default/shop',
      eventCount: 6,
      latestEvent: authFailure('shop', '10.0.0.7'),
    });
    expect(input).toEqual({
      title: '6 failed logins on shop from 10.0.0.7',
      description:
        "Opened by the correlation rule 'Repeated authentication failures' (repeated-auth-failures): 6 matching events within PT10M for entityRef=component:default/shop, source.ip=10.0.0.7.",
      severity: 'high',
      affectedEntities: ['component:default/shop'],
    });
  });

  it('summarises an event by the fields the rule reads first', () => {
    const summary = summariseEvent(
      rule,
      authFailure('shop', '10.0.0.7', {
        id: 'evt-1',
        user: 'mallory',
        message: 'x'.repeat(500),
        nested: { deep: true },
      }),
      Date.parse('2026-06-01T00:00:00Z'),
    );
    expect(summary).toEqual({
      id: 'evt-1',
      occurredAt: '2026-06-01T00:00:00.000Z',
      fields: {
        type: 'auth.failure',
        entityRef: 'shop',
        'source.ip': '10.0.0.7',
        user: 'mallory',
        message: `${'x'.repeat(199)}…`,
      },
    });
  });
});
