import fs from 'node:fs';
import path from 'node:path';
import { ComponentSourceError } from './errors';
import { cycloneDxFromYarnLock } from './yarnLockSbom';

/*
 * Writes the CycloneDX SBOM of a yarn.lock to standard output:
 *
 *   yarn workspace @open-itsm/plugin-security-management-backend \
 *     sbom-from-yarn-lock "$PWD/yarn.lock" my-service 1.2.0 > sbom.cdx.json
 *
 * Yarn runs the script in the backend package's directory: a relative path
 * is relative to it.
 */
const [lockfile, name, version] = process.argv.slice(2);
if (!lockfile || !name) {
  process.stderr.write(
    'usage: sbom-from-yarn-lock <path/to/yarn.lock> <name> [version]\n',
  );
  process.exit(2);
}
try {
  const text = fs.readFileSync(path.resolve(lockfile), 'utf8');
  process.stdout.write(`${cycloneDxFromYarnLock(text, { name, version })}\n`);
} catch (error) {
  const known =
    error instanceof ComponentSourceError ||
    (error as NodeJS.ErrnoException).code === 'ENOENT';
  process.stderr.write(`${known ? (error as Error).message : error}\n`);
  process.exit(1);
}
