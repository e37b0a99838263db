import { ConfigReader } from '@backstage/config';
import { DEFAULT_ADVISORY_DUE_BY_SEVERITY } from '@open-itsm/plugin-security-management-common';
import { pathToFileURL } from 'node:url';
import { resolve as resolvePath } from 'node:path';
import { readAdvisorySettings } from './config';

function read(advisories: object) {
  return readAdvisorySettings(
    new ConfigReader({ securityManagement: { advisories } }),
  );
}

const feed = {
  id: 'github',
  type: 'osv',
  target: 'https://feeds.example.com/osv/',
};

describe('readAdvisorySettings', () => {
  it('has defaults for everything: no feed, every six hours, the due dates of the contract', () => {
    expect(readAdvisorySettings(new ConfigReader({}))).toEqual({
      feeds: [],
      frequency: { hours: 6 },
      timeout: { minutes: 30 },
      dueBySeverity: DEFAULT_ADVISORY_DUE_BY_SEVERITY,
      alertLifecycles: ['production'],
    });
  });

  it('reads the feeds, the schedule, the due dates and the alert rule', () => {
    expect(
      read({
        feeds: [feed, { id: 'cisa-kev', type: 'kev', target: 'data/kev.json' }],
        frequency: 'PT1H',
        timeout: { minutes: 5 },
        dueBySeverity: { critical: 'P7D', low: 'P1Y' },
        alertOnKnownExploited: { lifecycles: [] },
        matchWorkers: 0,
      }),
    ).toEqual({
      feeds: [
        feed,
        {
          id: 'cisa-kev',
          type: 'kev',
          // A path is a local file, from the backend's working directory.
          target: pathToFileURL(resolvePath('data/kev.json')).toString(),
        },
      ],
      frequency: { hours: 1 },
      timeout: { minutes: 5 },
      dueBySeverity: {
        ...DEFAULT_ADVISORY_DUE_BY_SEVERITY,
        critical: 'P7D',
        low: 'P1Y',
      },
      alertLifecycles: [],
      matchWorkers: 0,
    });
  });

  it.each([
    [
      { feeds: [{ ...feed, id: 'GitHub Advisories' }] },
      "Invalid config at 'securityManagement.advisories.feeds[0].id': 'GitHub Advisories' must be lower-case letters, digits and dashes",
    ],
    [
      { feeds: [feed, { ...feed, target: 'https://mirror.example.com/' }] },
      "Invalid config at 'securityManagement.advisories.feeds[1].id': 'github' is used twice",
    ],
    [
      { feeds: [{ ...feed, type: 'nvd' }] },
      "Invalid config at 'securityManagement.advisories.feeds[0].type': 'nvd' must be 'osv' or 'kev'",
    ],
    [
      { feeds: [{ id: 'github', type: 'osv' }] },
      "'securityManagement.advisories.feeds[0].target'",
    ],
    [
      { frequency: 'every day' },
      "Invalid config at 'securityManagement.advisories.frequency'",
    ],
    [
      { timeout: { minutes: 'five' } },
      "Invalid config at 'securityManagement.advisories.timeout'",
    ],
    [
      { dueBySeverity: { high: '30 days' } },
      "Invalid config at 'securityManagement.advisories.dueBySeverity.high': '30 days' is not a positive ISO-8601 duration such as P30D",
    ],
    [
      { dueBySeverity: { medium: 'P30D' } },
      "Invalid config at 'securityManagement.advisories.dueBySeverity.medium': not a severity; use critical, high, moderate, low, unknown",
    ],
    [
      { matchWorkers: 1.5 },
      "Invalid config at 'securityManagement.advisories.matchWorkers': 1.5 must be a whole number from 0 to 64",
    ],
    [
      { matchWorkers: -1 },
      "Invalid config at 'securityManagement.advisories.matchWorkers': -1 must be a whole number from 0 to 64",
    ],
  ])('refuses %j, naming the key', (advisories, message) => {
    expect(() => read(advisories)).toThrow(message);
  });
});
