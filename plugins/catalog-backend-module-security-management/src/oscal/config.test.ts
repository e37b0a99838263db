import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { readOscalImports } from './config';

function read(imports: JsonObject[]) {
  return readOscalImports(
    new ConfigReader({ securityManagement: { oscal: { imports } } }),
  );
}

const low = {
  id: 'nist-low',
  framework: 'nist-sp-800-53-rev5',
  target: 'https://example.com/low.json',
  owner: 'security-team',
};

describe('readOscalImports', () => {
  it('reads nothing when nothing is configured', () => {
    expect(readOscalImports(new ConfigReader({}))).toEqual([]);
  });

  it('reads an import with a default hourly global schedule', () => {
    expect(read([low])).toEqual([
      {
        id: 'nist-low',
        framework: 'nist-sp-800-53-rev5',
        target: 'https://example.com/low.json',
        owner: 'group:default/security-team',
        schedule: {
          frequency: { hours: 1 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 15 },
          scope: 'global',
        },
      },
    ]);
  });

  it('turns a path into a file URL and reads a schedule', () => {
    const [config] = read([
      {
        ...low,
        target: 'data/low.json',
        schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 } },
      },
    ]);
    expect(config.target).toBe(
      pathToFileURL(path.resolve('data/low.json')).toString(),
    );
    expect(config.schedule).toEqual({
      frequency: { minutes: 30 },
      timeout: { minutes: 5 },
      scope: 'global',
    });
  });

  it.each([
    [
      [{ ...low, id: 'Nist Low' }],
      "Invalid config at 'securityManagement.oscal.imports[0].id': 'Nist Low' must be lower-case letters, digits and dashes (at most 63)",
    ],
    [
      [low, { ...low, framework: 'other' }],
      "Invalid config at 'securityManagement.oscal.imports[1].id': 'nist-low' is also the id of securityManagement.oscal.imports[0]",
    ],
    [
      [low, { ...low, id: 'nist-moderate' }],
      "Invalid config at 'securityManagement.oscal.imports[1].framework': 'nist-sp-800-53-rev5' is also imported by securityManagement.oscal.imports[0]; a framework comes from one import",
    ],
    [
      [{ ...low, framework: 'NIST' }],
      "Invalid config at 'securityManagement.oscal.imports[0].framework': 'NIST' must be lower-case",
    ],
    [
      [{ ...low, owner: 'user:default/nadia' }],
      "Invalid config at 'securityManagement.oscal.imports[0].owner': 'user:default/nadia' must be a group ref",
    ],
    [
      [{ ...low, schedule: { frequency: 'often' } }],
      "Invalid config at 'securityManagement.oscal.imports[0].schedule'",
    ],
  ])('refuses a bad import, naming the key', (imports, message) => {
    expect(() => read(imports)).toThrow(message);
  });
});
