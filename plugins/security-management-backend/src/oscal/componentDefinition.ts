import {
  ControlPosture,
  OSCAL_VERSION,
} from '@open-itsm/plugin-security-management-common';
import { contentVersion } from './documentVersion';
import {
  componentType,
  componentUuid,
  controlLibraryResource,
  frameworkResource,
  libraryControlId,
  OscalLink,
  OscalProperty,
  OscalResource,
  oscalControlId,
  oscalDateTime,
  OscalSubject,
  oneLine,
  prop,
  propsOf,
  subjectDescription,
  subjectProps,
  subjectTitle,
} from './oscalParts';
import { safeHref } from './safeHref';
import { oscalUuid } from './uuid';

/** An implemented requirement of an OSCAL component definition. */
export interface OscalImplementedRequirement {
  uuid: string;
  'control-id': string;
  description: string;
  props?: OscalProperty[];
  links?: OscalLink[];
  remarks?: string;
}

/** A control implementation of an OSCAL component definition. */
export interface OscalControlImplementation {
  uuid: string;
  source: string;
  description: string;
  'implemented-requirements': OscalImplementedRequirement[];
}

/** The metadata of an exported OSCAL document. */
export interface OscalMetadata {
  title: string;
  'last-modified': string;
  version: string;
  'oscal-version': string;
  roles?: Array<{ id: string; title: string }>;
  parties?: Array<{ uuid: string; type: 'organization'; name: string }>;
  remarks?: string;
}

/** An OSCAL component-definition document as the plugin exports it. */
export interface ComponentDefinitionDocument {
  'component-definition': {
    uuid: string;
    metadata: OscalMetadata;
    components: Array<{
      uuid: string;
      type: string;
      title: string;
      description: string;
      props?: OscalProperty[];
      'responsible-roles'?: Array<{
        'role-id': string;
        'party-uuids': string[];
      }>;
      'control-implementations'?: OscalControlImplementation[];
    }>;
    'back-matter'?: { resources: OscalResource[] };
  };
}

const PROVIDER_ROLE = 'provider';

/** The owner of the entity as a party, with the role that links it. */
export function ownerParty(owner: string | undefined) {
  if (!owner) return undefined;
  return {
    role: { id: PROVIDER_ROLE, title: 'Provider (the owner in the catalog)' },
    party: {
      uuid: oscalUuid('party', owner),
      type: 'organization' as const,
      name: owner,
    },
  };
}

/** What an implemented requirement says of a control: its text and procedure. */
function requirementDescription(posture: ControlPosture): string {
  const { control } = posture;
  const text = control.description?.trim() || control.title;
  const procedure = control.procedure?.trim();
  return procedure ? `${text}\n\nTest procedure: ${procedure}` : text;
}

/** The control's properties, its current status among them. */
function controlProps(
  posture: ControlPosture,
): Array<OscalProperty | undefined> {
  const { control } = posture;
  return [
    prop('control-ref', control.ref),
    prop('control-title', control.title),
    prop('control-owner', control.owner),
    prop('category', control.category),
    prop('criticality', control.criticality),
    prop('test-cadence', control.cadence),
    prop('test-method', control.method),
    prop('status', posture.status),
    prop('last-result', posture.lastResult),
    prop(
      'last-tested',
      posture.lastTestedAt && oscalDateTime(posture.lastTestedAt),
    ),
    prop('next-due', posture.nextDueAt && oscalDateTime(posture.nextDueAt)),
    prop(
      'exception-expires',
      posture.exception && oscalDateTime(posture.exception.expiresAt),
    ),
  ];
}

function requirement(options: {
  entityRef: string;
  posture: ControlPosture;
  controlId: string;
  mapping?: { framework: string; ref: string };
}): OscalImplementedRequirement {
  const { entityRef, posture, controlId, mapping } = options;
  const evidence = safeHref(posture.evidenceUrl);
  const { exception } = posture;
  return {
    uuid: oscalUuid(
      'implemented-requirement',
      entityRef,
      posture.control.ref,
      mapping?.framework ?? '',
      mapping?.ref ?? '',
    ),
    'control-id': controlId,
    description: requirementDescription(posture),
    props: propsOf(
      ...(mapping
        ? [
            prop('framework', mapping.framework),
            prop('framework-ref', mapping.ref),
          ]
        : []),
      ...controlProps(posture),
    ),
    ...(evidence
      ? {
          links: [
            {
              href: evidence,
              rel: 'evidence',
              text: 'Evidence of the latest test',
            },
          ],
        }
      : {}),
    ...(exception
      ? {
          remarks: `Accepted risk (exception ${
            exception.id
          }) until ${oscalDateTime(exception.expiresAt)}: ${
            exception.justification
          }`,
        }
      : {}),
  };
}

function byString<T>(key: (item: T) => string) {
  return (a: T, b: T) => {
    const ka = key(a);
    const kb = key(b);
    if (ka < kb) return -1;
    return ka > kb ? 1 : 0;
  };
}

/**
 * The control implementations of an entity: one per framework its controls
 * map to, then one for the controls mapped to no framework, whose source is
 * the plugin's control library.
 */
function controlImplementations(
  subject: OscalSubject,
  controls: ControlPosture[],
): {
  implementations: OscalControlImplementation[];
  resources: OscalResource[];
} {
  const { entityRef } = subject;
  const byFramework = new Map<string, OscalImplementedRequirement[]>();
  const unmapped: OscalImplementedRequirement[] = [];
  for (const posture of [...controls].sort(byString(c => c.control.ref))) {
    const mappings = posture.control.frameworks;
    if (mappings.length === 0) {
      unmapped.push(
        requirement({
          entityRef,
          posture,
          controlId: libraryControlId(posture.control.ref),
        }),
      );
      continue;
    }
    for (const mapping of mappings) {
      const list = byFramework.get(mapping.framework) ?? [];
      list.push(
        requirement({
          entityRef,
          posture,
          controlId: oscalControlId(mapping.ref),
          mapping,
        }),
      );
      byFramework.set(mapping.framework, list);
    }
  }

  const implementations: OscalControlImplementation[] = [];
  const resources: OscalResource[] = [];
  const title = subjectTitle(subject);
  for (const framework of [...byFramework.keys()].sort()) {
    const resource = frameworkResource(framework);
    resources.push(resource);
    implementations.push({
      uuid: oscalUuid('control-implementation', entityRef, framework),
      source: `#${resource.uuid}`,
      description: `How the security controls of ${title} implement ${resource.title}.`,
      'implemented-requirements': byFramework
        .get(framework)!
        .sort(byString(r => r['control-id'])),
    });
  }
  if (unmapped.length) {
    const resource = controlLibraryResource();
    resources.push(resource);
    implementations.push({
      uuid: oscalUuid('control-implementation', entityRef, 'control-library'),
      source: `#${resource.uuid}`,
      description: `The security controls of ${title} that map to no framework, from the Security Management control library.`,
      'implemented-requirements': unmapped,
    });
  }
  return { implementations, resources };
}

/**
 * An entity's controls as an OSCAL component definition: one component,
 * its control implementations by framework, each control's current status.
 */
export function buildComponentDefinition(options: {
  subject: OscalSubject;
  controls: ControlPosture[];
  now: Date;
}): ComponentDefinitionDocument {
  const { subject, controls, now } = options;
  const title = subjectTitle(subject);
  const owner = ownerParty(oneLine(subject.owner));
  const { implementations, resources } = controlImplementations(
    subject,
    controls,
  );

  const metadata = {
    title: `Security controls of ${title}`,
    'oscal-version': OSCAL_VERSION,
    ...(owner ? { roles: [owner.role], parties: [owner.party] } : {}),
    remarks: `Exported from Security Management for Backstage. Each implemented requirement is a SecurityControl that applies to ${subject.entityRef}; its status (passing, failing, overdue, untested or excepted) is as of the export (last-modified).`,
  };
  const body = {
    uuid: oscalUuid('component-definition', subject.entityRef),
    components: [
      {
        uuid: componentUuid(subject.entityRef),
        type: componentType(subject),
        title,
        description: subjectDescription(subject),
        props: propsOf(...subjectProps(subject)),
        ...(owner
          ? {
              'responsible-roles': [
                { 'role-id': owner.role.id, 'party-uuids': [owner.party.uuid] },
              ],
            }
          : {}),
        ...(implementations.length
          ? { 'control-implementations': implementations }
          : {}),
      },
    ],
    ...(resources.length ? { 'back-matter': { resources } } : {}),
  };
  const { title: documentTitle, ...rest } = metadata;
  return {
    'component-definition': {
      uuid: body.uuid,
      metadata: {
        title: documentTitle,
        'last-modified': oscalDateTime(now),
        version: contentVersion({ metadata, body }),
        ...rest,
      },
      components: body.components,
      ...(body['back-matter'] ? { 'back-matter': body['back-matter'] } : {}),
    },
  };
}
