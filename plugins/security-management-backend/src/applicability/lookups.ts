import { ControlSummary } from '@open-itsm/plugin-security-management-common';
import { ApplicabilityStore, StoredEntity } from './ApplicabilityStore';

/*
 * What the writes of every folder check against the applicability
 * snapshot: the entities and controls they name exist, and apply.
 */

/** The controls among the refs, by ref. */
export async function controlsByRef(
  store: ApplicabilityStore,
  refs: string[],
): Promise<Map<string, ControlSummary>> {
  const controls = refs.length ? await store.getControls(refs) : [];
  return new Map(controls.map(control => [control.ref, control]));
}

/** Every ref with its entity, or undefined when it is not in the catalog. */
export async function entitiesByRef(
  store: ApplicabilityStore,
  refs: string[],
): Promise<Map<string, StoredEntity | undefined>> {
  const found = new Map<string, StoredEntity | undefined>(
    refs.map(ref => [ref, undefined]),
  );
  if (refs.length === 0) return found;
  for (const entity of await store.getEntities(refs)) {
    found.set(entity.entityRef, entity);
  }
  return found;
}

/** Checks that a control applies to an entity; returns problems. */
export function applicabilityProblems(options: {
  entity: StoredEntity | undefined;
  entityRef: string;
  controlRef: string;
  prefix: string;
}): string[] {
  const { entity, entityRef, controlRef, prefix } = options;
  if (!entity) {
    return [
      `${prefix}entityRef: unknown entity '${entityRef}'; it is not in the catalog or no security control applies to it`,
    ];
  }
  if (!entity.controlRefs.includes(controlRef)) {
    return [
      `${prefix}controlRef: control '${controlRef}' does not apply to '${entityRef}'`,
    ];
  }
  // An inherited control is tested (and excepted) once, on the entity it
  // is inherited from; a record on the inheritor would change nothing.
  const parent = entity.inheritedFrom?.[controlRef];
  if (parent) {
    return [
      `${prefix}entityRef: '${entityRef}' inherits control '${controlRef}' from '${parent}'; record it on '${parent}'`,
    ];
  }
  return [];
}
