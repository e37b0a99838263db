import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { authFailures } from './__fixtures__/rules';
import { readCorrelationSettings } from './settings';

function read(correlation: JsonObject) {
  return readCorrelationSettings(
    new ConfigReader({ securityManagement: { correlation } }),
  );
}

describe('readCorrelationSettings', () => {
  it('defaults to the security topic, 30 days of retention and no rules', () => {
    expect(readCorrelationSettings(new ConfigReader({}))).toEqual({
      topics: ['security'],
      rules: [],
      retention: 'P30D',
      retentionMs: 30 * 24 * 3600_000,
    });
  });

  it('reads a rule with dotted field paths and derives its window', () => {
    const { rules } = read({ rules: [authFailures] });
    expect(rules).toEqual([
      {
        ...authFailures,
        windowMs: 10 * 60_000,
        fields: ['type', 'entityRef', 'source.ip'],
      },
    ]);
  });

  it.each([
    [
      { ...authFailures, id: 'Repeated Auth' },
      "Invalid config at 'securityManagement.correlation.rules[0].id': expected lower-case letters, digits and dashes (at most 63), such as repeated-auth-failures",
    ],
    [
      { ...authFailures, window: '10 minutes' },
      "Invalid config at 'securityManagement.correlation.rules[0].window': expected a positive ISO-8601 duration such as PT10M",
    ],
    [
      { ...authFailures, threshold: 0 },
      "Invalid config at 'securityManagement.correlation.rules[0].threshold': must be at least 1",
    ],
    [
      { ...authFailures, fingerprint: [] },
      "Invalid config at 'securityManagement.correlation.rules[0].fingerprint': must have at least 1 item",
    ],
    [
      { ...authFailures, match: { type: { equals: 'x' } } },
      "Invalid config at 'securityManagement.correlation.rules[0].match.type': expected a string, number, boolean, a list of strings, or { exists: true | false }",
    ],
    [
      {
        ...authFailures,
        incident: { title: 'Failures from {{source ip}}', severity: 'high' },
      },
      "Invalid config at 'securityManagement.correlation.rules[0].incident.title': placeholders must be {{count}} or {{field.path}}",
    ],
    [
      { ...authFailures, incident: { title: 'x', severity: 'urgent' } },
      "Invalid config at 'securityManagement.correlation.rules[0].incident.severity': expected one of critical|high|medium|low",
    ],
    [
      { ...authFailures, entity: undefined },
      "Invalid config at 'securityManagement.correlation.rules[0].entity': is required",
    ],
    [
      { ...authFailures, topic: 'siem' },
      "Invalid config at 'securityManagement.correlation.rules[0].topic': 'siem' is not among securityManagement.correlation.topics (security)",
    ],
    [
      { ...authFailures, window: 'P60D' },
      "Invalid config at 'securityManagement.correlation.rules[0].window': P60D must be shorter than securityManagement.correlation.retention (P30D), which deletes the events it counts",
    ],
  ])(
    'refuses a bad rule with a message naming its key: %#',
    (rule, message) => {
      expect(() => read({ rules: [rule] })).toThrow(message);
    },
  );

  it('names every bad rule, and a second rule with the same id', () => {
    expect(() =>
      read({
        rules: [
          authFailures,
          { ...authFailures, threshold: 'five' },
          authFailures,
        ],
      }),
    ).toThrow(
      "Invalid config at 'securityManagement.correlation.rules[1].threshold': expected number; Invalid config at 'securityManagement.correlation.rules[2].id': 'repeated-auth-failures' is the id of rules[0] too; rule ids must be unique",
    );
  });

  it('refuses unknown fields of a rule, bad topics and a bad retention', () => {
    expect(() => read({ rules: [{ ...authFailures, treshold: 5 }] })).toThrow(
      "Invalid config at 'securityManagement.correlation.rules[0]': unknown field 'treshold'",
    );
    expect(() => read({ topics: [] })).toThrow(
      "Invalid config at 'securityManagement.correlation.topics': must name at least one topic",
    );
    expect(() => read({ topics: ['a b'] })).toThrow(
      "Invalid config at 'securityManagement.correlation.topics[0]': 'a b' is not a topic name such as security",
    );
    expect(() => read({ retention: '30d' })).toThrow(
      "Invalid config at 'securityManagement.correlation.retention': '30d' is not a positive ISO-8601 duration such as P30D",
    );
    expect(() => read({ rules: { a: authFailures } })).toThrow(
      "Invalid config at 'securityManagement.correlation.rules': expected a list of rules",
    );
  });
});
