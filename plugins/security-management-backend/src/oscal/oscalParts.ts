import { parseEntityRef } from '@backstage/catalog-model';
import { toMillis } from '@open-itsm/plugin-security-management-common';
import { oscalUuid } from './uuid';

/*
 * The small pieces both exports are made of: identifiers in OSCAL's token
 * syntax, properties in the plugin's namespace, date-times, the subject
 * entity as a component, and the sources of the frameworks controls map to.
 */

/** The namespace of the properties the plugin adds (a name, not a page). */
export const OSCAL_PROPERTY_NAMESPACE =
  'https://security.open-itsm.dev/ns/oscal';

/** An OSCAL property. */
export interface OscalProperty {
  name: string;
  value: string;
  ns?: string;
  class?: string;
}

/** An OSCAL link. */
export interface OscalLink {
  href: string;
  rel?: string;
  'media-type'?: string;
  text?: string;
}

/** An entry of an OSCAL document's back matter. */
export interface OscalResource {
  uuid: string;
  title?: string;
  description?: string;
  props?: OscalProperty[];
  rlinks?: Array<{ href: string; 'media-type'?: string }>;
  remarks?: string;
}

/**
 * A property value as OSCAL's string type allows it: one line, trimmed, not
 * empty; undefined when nothing is left.
 */
export function oneLine(value: string | undefined): string | undefined {
  const line = value?.replace(/\s+/g, ' ').trim();
  return line ? line : undefined;
}

/**
 * A property in the plugin's namespace, or undefined for an empty value so
 * that callers can list optional ones.
 */
export function prop(
  name: string,
  value: string | number | undefined,
  options: { class?: string } = {},
): OscalProperty | undefined {
  const line = oneLine(value === undefined ? undefined : String(value));
  if (!line) return undefined;
  return {
    name,
    ns: OSCAL_PROPERTY_NAMESPACE,
    value: line,
    ...(options.class ? { class: toToken(options.class) } : {}),
  };
}

/** The defined properties, or undefined when none (OSCAL lists are never empty). */
export function propsOf(
  ...list: Array<OscalProperty | undefined>
): OscalProperty[] | undefined {
  const defined = list.filter((p): p is OscalProperty => p !== undefined);
  return defined.length ? defined : undefined;
}

/**
 * A string as an OSCAL token (an XML NCName): letters, digits, `.`, `-`
 * and `_`, starting with a letter or `_`.
 */
export function toToken(value: string): string {
  const token = value
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^\p{L}\p{N}._-]/gu, '');
  return /^[\p{L}_]/u.test(token) ? token : `_${token}`;
}

/**
 * A framework requirement's ref as an OSCAL control id, by the convention of
 * NIST's catalogs: lower case, an enhancement's number after a dot
 * (`AC-2(1)` is `ac-2.1`, `SC-8` is `sc-8`, `A.8.24` is `a.8.24`).
 */
export function oscalControlId(ref: string): string {
  return toToken(ref.replace(/\s*\(\s*([^()]*?)\s*\)/g, '.$1'));
}

/**
 * The control id of a SecurityControl of the plugin's own library: its name
 * (with its namespace when not `default`), as a token.
 */
export function libraryControlId(controlRef: string): string {
  const { namespace, name } = parseEntityRef(controlRef);
  return toToken(namespace === 'default' ? name : `${namespace}.${name}`);
}

/** An instant as an OSCAL date-time: ISO-8601 in UTC. */
export function oscalDateTime(value: string | number | Date): string {
  return new Date(toMillis(value)).toISOString();
}

/** What the exports say about the entity they are about. */
export interface OscalSubject {
  entityRef: string;
  /** The catalog kind (`Component`, `Resource`...). */
  kind: string;
  /** `spec.type` when the caller may read the entity in the catalog. */
  type?: string;
  title?: string;
  description?: string;
  lifecycle?: string;
  owner?: string;
  system?: string;
  domain?: string;
  riskTier: number;
}

/** The UUID of the entity as an OSCAL component, the same in both exports. */
export function componentUuid(entityRef: string): string {
  return oscalUuid('component', entityRef);
}

/**
 * The OSCAL component type of an entity: software for components that are
 * not run as a service (libraries, tools...), a service for everything
 * that is operated (services, websites, APIs, resources, systems).
 */
export function componentType(subject: OscalSubject): 'service' | 'software' {
  if (subject.kind.toLowerCase() !== 'component') return 'service';
  const type = subject.type?.toLowerCase();
  return type === undefined || type === 'service' || type === 'website'
    ? 'service'
    : 'software';
}

/** The entity's name for people: its title, or its ref. */
export function subjectTitle(subject: OscalSubject): string {
  return oneLine(subject.title) ?? subject.entityRef;
}

/** The entity's own properties, shared by both exports. */
export function subjectProps(subject: OscalSubject) {
  return [
    prop('entity-ref', subject.entityRef),
    prop('entity-kind', subject.kind),
    prop('entity-type', subject.type),
    prop('lifecycle', subject.lifecycle),
    prop('owner', subject.owner),
    prop('system', subject.system),
    prop('domain', subject.domain),
    prop('risk-tier', subject.riskTier),
  ];
}

/** How an entity with no catalog description is described. */
export function subjectDescription(subject: OscalSubject): string {
  return (
    subject.description?.trim() ||
    `The ${subject.kind} ${subject.entityRef} of the Backstage software catalog.`
  );
}

interface KnownFramework {
  title: string;
  /** Where its OSCAL catalog is published, when it is. */
  catalog?: string;
}

/** Frameworks the example library maps to, and NIST's published catalog. */
const KNOWN_FRAMEWORKS: Record<string, KnownFramework> = {
  'nist-sp-800-53-rev5': {
    title: 'NIST SP 800-53 Revision 5',
    catalog:
      'https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json',
  },
  'iso-27001-2022': { title: 'ISO/IEC 27001:2022 Annex A' },
  'soc2-2017': { title: 'SOC 2 Trust Services Criteria (2017)' },
};

/** The back-matter resource that stands for a framework. */
export function frameworkResource(framework: string): OscalResource {
  const known = KNOWN_FRAMEWORKS[framework];
  return {
    uuid: oscalUuid('framework', framework),
    title: known?.title ?? framework,
    props: propsOf(prop('framework', framework)),
    ...(known?.catalog
      ? {
          rlinks: [
            {
              href: known.catalog,
              'media-type': 'application/oscal.catalog+json',
            },
          ],
        }
      : {}),
  };
}

/** The back-matter resource that stands for the plugin's control library. */
export function controlLibraryResource(): OscalResource {
  return {
    uuid: oscalUuid('control-library'),
    title: 'Security Management control library',
    description:
      'The SecurityControl entities of the Backstage software catalog (Security Management for Backstage). A control id is the SecurityControl name, with its namespace when not default.',
  };
}
