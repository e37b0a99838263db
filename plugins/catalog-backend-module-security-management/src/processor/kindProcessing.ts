import {
  CompoundEntityRef,
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { ENTITY_STATUS_CATALOG_PROCESSING_TYPE } from '@backstage/catalog-client';
import {
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';

// What the SecurityControl, SecurityPolicy and SecurityRequirement
// processors share: validate an entity of the kind, keep an invalid one with
// a processing error naming the fields, else emit its relations.

/** Emits a relation from an entity to `target` and its reverse. */
export type RelateTo = (
  target: CompoundEntityRef,
  forward: string,
  backward: string,
) => void;

/** The relations a processor emits for a valid entity of its kind. */
export interface KindRelations {
  /** A ref the entity names, parsed with the entity's namespace. */
  refOf(ref: string, defaultKind: string): CompoundEntityRef;
  relate: RelateTo;
}

/** Emits each relation from `self` both ways: forward, then backward. */
export function relateFrom(
  self: CompoundEntityRef,
  emit: CatalogProcessorEmit,
): RelateTo {
  return (target, forward, backward) => {
    emit(processingResult.relation({ source: self, type: forward, target }));
    emit(
      processingResult.relation({
        source: target,
        type: backward,
        target: self,
      }),
    );
  };
}

/**
 * The entity with an error status item. (A processing error thrown by a
 * processor would keep a new entity out of the catalog altogether, so its
 * page, where the error shows, would not exist.)
 */
function withProcessingError(
  entity: AlphaEntity,
  message: string,
): AlphaEntity {
  const error = { name: 'InputError', message };
  return {
    ...entity,
    status: {
      ...entity.status,
      items: [
        ...(entity.status?.items ?? []),
        {
          type: ENTITY_STATUS_CATALOG_PROCESSING_TYPE,
          level: 'error',
          message: `${error.name}: ${message}`,
          error,
        },
      ],
    },
  };
}

/**
 * Validates an entity of a kind: an invalid one is returned with a
 * processing error that names each problem and emits no relation; a valid
 * one emits its relations (`relations`) and is returned as it is.
 */
export async function validateThenRelate<T extends Entity>(
  entity: T,
  emit: CatalogProcessorEmit,
  options: {
    kind: string;
    problems: (entity: T) => string[];
    relations: (relations: KindRelations) => void | Promise<void>;
  },
): Promise<Entity> {
  const problems = options.problems(entity);
  if (problems.length) {
    return withProcessingError(
      entity,
      `Invalid ${options.kind} ${stringifyEntityRef(entity)}: ${problems.join(
        '; ',
      )}`,
    );
  }
  const self = getCompoundEntityRef(entity);
  await options.relations({
    refOf: (ref, defaultKind) =>
      parseEntityRef(ref, { defaultKind, defaultNamespace: self.namespace }),
    relate: relateFrom(self, emit),
  });
  return entity;
}
