import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { oscalToYaml, OscalToYamlError } from './oscalToYaml';

/*
 * Writes the SecurityRequirements of an OSCAL catalog or resolved profile
 * (JSON) to standard output as multi-document YAML:
 *
 *   yarn workspace @open-itsm/plugin-catalog-backend-module-security-management \
 *     oscal-to-yaml "$PWD/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json" \
 *     --framework nist-sp-800-53-rev5 --owner group:default/security-team > requirements.yaml
 *
 * Yarn runs the script in the module's directory: a relative path is
 * relative to it.
 */
const USAGE =
  'usage: oscal-to-yaml <catalog.json> --framework <id> --owner <group>\n';

function main(): number {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        framework: { type: 'string' },
        owner: { type: 'string' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1 || !values.framework || !values.owner) {
    process.stderr.write(USAGE);
    return 2;
  }
  const file = positionals[0];
  try {
    const json = fs.readFileSync(path.resolve(file), 'utf8');
    const { yaml, count } = oscalToYaml(json, {
      framework: values.framework,
      owner: values.owner,
      source: path.basename(file),
    });
    process.stdout.write(yaml);
    process.stderr.write(`${count} SecurityRequirements written\n`);
    return 0;
  } catch (error) {
    const known =
      error instanceof OscalToYamlError ||
      (error as NodeJS.ErrnoException).code === 'ENOENT';
    process.stderr.write(`${known ? (error as Error).message : error}\n`);
    return 1;
  }
}

process.exitCode = main();
