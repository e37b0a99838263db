import {
  deriveRequirementLabel,
  requirementEntityName,
  SECURITY_REQUIREMENT_API_VERSION,
  SECURITY_REQUIREMENT_KIND,
  SecurityRequirementEntityV1alpha1,
} from '@open-itsm/plugin-security-management-common';

/*
 * An OSCAL catalog (or a resolved profile, which is a catalog) as framework
 * requirements. Only the parts of the model the requirements need are
 * typed; the document has been validated against NIST's schema first.
 */

type OscalProp = { name: string; value: string; class?: string; ns?: string };

type OscalPart = {
  id?: string;
  name: string;
  title?: string;
  prose?: string;
  props?: OscalProp[];
  parts?: OscalPart[];
};

type OscalParam = {
  id: string;
  label?: string;
  values?: string[];
  select?: { 'how-many'?: string; choice?: string[] };
};

type OscalControl = {
  id: string;
  title: string;
  params?: OscalParam[];
  props?: OscalProp[];
  parts?: OscalPart[];
  controls?: OscalControl[];
};

type OscalGroup = {
  id?: string;
  title: string;
  params?: OscalParam[];
  groups?: OscalGroup[];
  controls?: OscalControl[];
};

/** An OSCAL catalog document (`{ catalog: … }`), as far as it is read here. */
export type OscalCatalogDocument = {
  catalog: {
    metadata: { title: string; version?: string };
    params?: OscalParam[];
    groups?: OscalGroup[];
    controls?: OscalControl[];
  };
};

/** What an import stamps on every requirement it makes. */
export interface RequirementOptions {
  /** Framework id, as controls map to it (`nist-sp-800-53-rev5`). */
  framework: string;
  /** Entity ref of the owning group. */
  owner: string;
  /** Annotations for every entity (the import's location, its id). */
  annotations?: Record<string, string>;
}

/** Names of the parts that hold assessment objectives and methods. */
const OBJECTIVE_PARTS = new Set(['assessment-objective', 'objective']);
const METHOD_PARTS = new Set(['assessment-method', 'assessment']);
const INSERT = /\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}/g;
const MAX_INSERT_DEPTH = 5;

/** Every parameter of the catalog by id: inserts may name any of them. */
function collectParams(
  catalog: OscalCatalogDocument['catalog'],
): Map<string, OscalParam> {
  const params = new Map<string, OscalParam>();
  const addAll = (list?: OscalParam[]) =>
    list?.forEach(param => params.set(param.id, param));
  const walkControls = (controls?: OscalControl[]) =>
    controls?.forEach(control => {
      addAll(control.params);
      walkControls(control.controls);
    });
  const walkGroups = (groups?: OscalGroup[]) =>
    groups?.forEach(group => {
      addAll(group.params);
      walkGroups(group.groups);
      walkControls(group.controls);
    });
  addAll(catalog.params);
  walkGroups(catalog.groups);
  walkControls(catalog.controls);
  return params;
}

/**
 * A parameter as NIST renders it in SP 800-53: its values when the catalog
 * (or the profile) sets them; a selection as `[Selection (one or more):
 * a; b]`; otherwise `[Assignment: organization-defined <label>]`.
 */
function renderParam(
  param: OscalParam | undefined,
  id: string,
  params: Map<string, OscalParam>,
  depth: number,
): string {
  if (!param) return `[Assignment: ${id}]`;
  if (param.values?.length) {
    return param.values
      .map(value => substitute(value, params, depth + 1))
      .join(', ');
  }
  if (param.select) {
    const choices = (param.select.choice ?? [])
      .map(choice => substitute(choice, params, depth + 1).trim())
      .join('; ');
    const howMany = param.select['how-many'];
    return howMany === 'one-or-more'
      ? `[Selection (one or more): ${choices}]`
      : `[Selection: ${choices}]`;
  }
  if (!param.label) return `[Assignment: ${id}]`;
  // Labels of aggregating parameters already say it.
  const label = param.label.trim();
  return /^organization-defined\b/i.test(label)
    ? `[Assignment: ${label}]`
    : `[Assignment: organization-defined ${label}]`;
}

/** Prose with every parameter insert replaced by its rendering. */
function substitute(
  prose: string,
  params: Map<string, OscalParam>,
  depth = 0,
): string {
  // A choice may insert another parameter; a cycle stops at a bounded depth.
  if (depth > MAX_INSERT_DEPTH) return prose;
  return prose.replace(INSERT, (_match, id: string) =>
    renderParam(params.get(id), id, params, depth),
  );
}

/** Blanks within a line collapsed, lines trimmed, blank runs kept as one. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map(line => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function propValue(
  props: OscalProp[] | undefined,
  name: string,
): string | undefined {
  const named = props?.filter(prop => prop.name === name) ?? [];
  // NIST gives several labels (zero-padded, SP 800-53A); the one without a
  // class is how the publication shows it.
  return (named.find(prop => !prop.class) ?? named[0])?.value;
}

/**
 * Parts as labelled lines, children indented two spaces per level:
 * `a. Define and document…` then `  1. Authorized users…`.
 */
function partLines(
  parts: OscalPart[] | undefined,
  params: Map<string, OscalParam>,
  depth: number,
): string[] {
  return (parts ?? []).flatMap(part => {
    const label = propValue(part.props, 'label');
    const text = tidy(substitute(part.prose ?? '', params)).replace(
      /\n+/g,
      ' ',
    );
    const head = [label, part.title, text].filter(Boolean).join(' ');
    const indent = '  '.repeat(depth);
    return [
      ...(head ? [`${indent}${head}`] : []),
      ...partLines(part.parts, params, head ? depth + 1 : depth),
    ];
  });
}

/** The statement: its own prose, then its items with their labels. */
function statementText(
  control: OscalControl,
  params: Map<string, OscalParam>,
): string {
  const statement = control.parts?.find(part => part.name === 'statement');
  if (statement) {
    const lead = tidy(substitute(statement.prose ?? '', params));
    return [lead, ...partLines(statement.parts, params, 0)]
      .filter(Boolean)
      .join('\n');
  }
  // A catalog without a statement part: the prose of its other parts.
  const other = (control.parts ?? []).filter(
    part =>
      part.name !== 'guidance' &&
      !OBJECTIVE_PARTS.has(part.name) &&
      !METHOD_PARTS.has(part.name),
  );
  return partLines(other, params, 0).join('\n') || control.title;
}

/** Guidance: its prose, then its sub-parts' titles and prose, as paragraphs. */
function guidanceText(
  control: OscalControl,
  params: Map<string, OscalParam>,
): string | undefined {
  const paragraphs = (part: OscalPart): string[] => [
    ...(part.title ? [part.title] : []),
    ...(part.prose ? [tidy(substitute(part.prose, params))] : []),
    ...(part.parts ?? []).flatMap(paragraphs),
  ];
  const text = (control.parts ?? [])
    .filter(part => part.name === 'guidance')
    .flatMap(paragraphs)
    .join('\n\n');
  return text || undefined;
}

/**
 * The test procedure: the assessment objectives (SP 800-53A, labelled), then
 * each assessment method with the objects it examines, interviews or tests.
 */
function testProcedureText(
  control: OscalControl,
  params: Map<string, OscalParam>,
): string | undefined {
  const parts = control.parts ?? [];
  const objectives = partLines(
    parts.filter(part => OBJECTIVE_PARTS.has(part.name)),
    params,
    0,
  );
  const methods = parts
    .filter(part => METHOD_PARTS.has(part.name))
    .map(part => {
      const method =
        propValue(part.props, 'method') ?? part.title ?? 'Assessment';
      const objects = (part.parts ?? [])
        .map(object => tidy(substitute(object.prose ?? '', params)))
        .join('\n')
        .split('\n')
        .filter(Boolean)
        .map(line => `  ${line}`);
      const prose = part.prose ? [tidy(substitute(part.prose, params))] : [];
      return [`${method}:`, ...prose.map(line => `  ${line}`), ...objects].join(
        '\n',
      );
    });
  const sections = [
    ...(objectives.length
      ? [['Assessment objectives:', ...objectives].join('\n')]
      : []),
    ...(methods.length ? [['Assessment methods:', ...methods].join('\n')] : []),
  ];
  return sections.length ? sections.join('\n\n') : undefined;
}

function isWithdrawn(control: OscalControl): boolean {
  return propValue(control.props, 'status')?.toLowerCase() === 'withdrawn';
}

/**
 * Every control and enhancement of an OSCAL catalog as a SecurityRequirement
 * entity, in document order. Withdrawn controls are left out (their
 * enhancements are not). The document must be a valid OSCAL catalog.
 */
export function oscalToRequirements(
  document: OscalCatalogDocument,
  options: RequirementOptions,
): SecurityRequirementEntityV1alpha1[] {
  const { catalog } = document;
  const params = collectParams(catalog);
  const frameworkTitle = catalog.metadata.title.trim();
  const requirements: SecurityRequirementEntityV1alpha1[] = [];

  const visit = (
    control: OscalControl,
    family: string | undefined,
    parent: string | undefined,
  ) => {
    if (!isWithdrawn(control)) {
      const guidance = guidanceText(control, params);
      const testProcedure = testProcedureText(control, params);
      requirements.push({
        apiVersion: SECURITY_REQUIREMENT_API_VERSION,
        kind: SECURITY_REQUIREMENT_KIND,
        metadata: {
          name: requirementEntityName(options.framework, control.id),
          title: tidy(control.title),
          ...(options.annotations
            ? { annotations: { ...options.annotations } }
            : {}),
        },
        spec: {
          framework: options.framework,
          frameworkTitle,
          controlId: control.id,
          label:
            propValue(control.props, 'label') ??
            deriveRequirementLabel(control.id),
          statement: statementText(control, params),
          ...(guidance ? { guidance } : {}),
          ...(testProcedure ? { testProcedure } : {}),
          ...(family ? { family } : {}),
          ...(parent ? { parent } : {}),
          owner: options.owner,
        },
      });
    }
    control.controls?.forEach(child => visit(child, family, control.id));
  };
  const visitGroup = (group: OscalGroup) => {
    const family = tidy(group.title);
    group.controls?.forEach(control => visit(control, family, undefined));
    group.groups?.forEach(visitGroup);
  };
  catalog.groups?.forEach(visitGroup);
  catalog.controls?.forEach(control => visit(control, undefined, undefined));
  return requirements;
}
