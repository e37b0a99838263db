import { parseAllDocuments } from 'yaml';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  fixtureJson,
  fixtureText,
  LOW_BASELINE,
} from './__testUtils__/fixtures';
import { oscalToRequirements } from './oscalToRequirements';
import { oscalToYaml } from './oscalToYaml';

const options = {
  framework: 'nist-sp-800-53-rev5',
  owner: 'security-team',
};

describe('oscalToYaml', () => {
  it('writes every requirement of the LOW baseline as a YAML document', () => {
    const { yaml, count } = oscalToYaml(fixtureText(LOW_BASELINE), {
      ...options,
      source: 'low.json',
    });
    expect(count).toBe(149);
    expect(yaml.split('\n')[0]).toBe(
      '# 149 SecurityRequirements of NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE (low.json), written by oscal-to-yaml',
    );
    const documents = parseAllDocuments(yaml).map(document =>
      document.toJSON(),
    );
    expect(documents).toEqual(
      oscalToRequirements(fixtureJson(LOW_BASELINE), {
        framework: 'nist-sp-800-53-rev5',
        owner: 'group:default/security-team',
      }),
    );
  });

  it('refuses bad options and documents with a message for the user', () => {
    const json = fixtureText(LOW_BASELINE);
    expect(() => oscalToYaml(json, { ...options, framework: 'NIST' })).toThrow(
      "--framework 'NIST' must be lower-case letters",
    );
    expect(() =>
      oscalToYaml(json, { ...options, owner: 'user:nadia' }),
    ).toThrow("--owner 'user:nadia' must be a group ref");
    expect(() => oscalToYaml('{', { ...options, source: 'x.json' })).toThrow(
      'x.json is not JSON',
    );
    expect(() =>
      oscalToYaml('{"catalog": {}}', { ...options, source: 'x.json' }),
    ).toThrow(
      "x.json is not a valid OSCAL catalog by NIST's OSCAL 1.0.6 catalog JSON schema: /catalog must have required property 'uuid'",
    );
  });
});

describe('the oscal-to-yaml command', () => {
  jest.setTimeout(60_000);
  const run = promisify(execFile);
  const cli = path.join(__dirname, 'oscalToYamlCli.ts');
  const node = (args: string[]) =>
    run(
      process.execPath,
      ['--require', '@backstage/cli/config/nodeTransform.cjs', cli, ...args],
      { maxBuffer: 64 * 1024 * 1024 },
    );

  it('writes YAML to standard output', async () => {
    const { stdout, stderr } = await node([
      LOW_BASELINE,
      '--framework',
      'nist-sp-800-53-rev5',
      '--owner',
      'group:default/security-team',
    ]);
    expect(parseAllDocuments(stdout)).toHaveLength(149);
    expect(stderr).toBe('149 SecurityRequirements written\n');
  });

  it('says how to call it, and fails on a bad file', async () => {
    await expect(node([LOW_BASELINE])).rejects.toMatchObject({
      code: 2,
      stderr:
        'usage: oscal-to-yaml <catalog.json> --framework <id> --owner <group>\n',
    });
    await expect(
      node(['missing.json', '--framework', 'x', '--owner', 'team']),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no such file or directory'),
    });
  });
});
