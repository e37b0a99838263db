import {
  normalizeEntityRef,
  securityRequirementProblems,
} from '@open-itsm/plugin-security-management-common';
import { stringify } from 'yaml';
import {
  OscalCatalogDocument,
  oscalToRequirements,
} from './oscalToRequirements';
import {
  describeOscalProblems,
  oscalCatalogProblems,
} from './validateOscalCatalog';

const FRAMEWORK_ID = /^[a-z0-9][a-z0-9.-]{0,99}$/;

/** A problem with the input of `oscal-to-yaml`, worded for its user. */
export class OscalToYamlError extends Error {
  name = 'OscalToYamlError';
}

/**
 * An OSCAL catalog (or resolved profile) as multi-document YAML of
 * SecurityRequirement entities, for a team that keeps its control library
 * in git: the same entities the catalog module's import makes, without the
 * import's location annotations (the catalog adds the file's own).
 */
export function oscalToYaml(
  json: string,
  options: { framework: string; owner: string; source?: string },
): { yaml: string; count: number } {
  if (!FRAMEWORK_ID.test(options.framework)) {
    throw new OscalToYamlError(
      `--framework '${options.framework}' must be lower-case letters, digits, dots and dashes, e.g. nist-sp-800-53-rev5`,
    );
  }
  const owner = normalizeEntityRef(options.owner, { defaultKind: 'Group' });
  if (!owner || !owner.startsWith('group:')) {
    throw new OscalToYamlError(
      `--owner '${options.owner}' must be a group ref such as group:default/security-team`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new OscalToYamlError(
      `${options.source ?? 'the input'} is not JSON: ${
        (error as Error).message
      }`,
    );
  }
  const problems = oscalCatalogProblems(document);
  if (problems.length) {
    throw new OscalToYamlError(
      `${options.source ?? 'the input'} is ${describeOscalProblems(problems)}`,
    );
  }
  const entities = oscalToRequirements(document as OscalCatalogDocument, {
    framework: options.framework,
    owner,
  });
  for (const entity of entities) {
    const entityProblems = securityRequirementProblems(entity);
    if (entityProblems.length) {
      throw new OscalToYamlError(
        `control '${
          entity.spec.controlId
        }' makes an invalid SecurityRequirement: ${entityProblems.join('; ')}`,
      );
    }
  }
  const { title } = (document as OscalCatalogDocument).catalog.metadata;
  const header = `# ${entities.length} SecurityRequirements of ${title.trim()}${
    options.source ? ` (${options.source})` : ''
  }, written by oscal-to-yaml\n`;
  const yaml = entities
    .map(entity => `---\n${stringify(entity, { lineWidth: 0 })}`)
    .join('');
  return { yaml: header + yaml, count: entities.length };
}
