import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

const refValidator = makeValidator();

/**
 * An entity ref in the one form the plugins store and compare: full
 * (`kind:namespace/name`) and lower-case, since the catalog treats refs
 * case-insensitively. Returns undefined for anything that is not a ref the
 * catalog would accept (parseEntityRef alone lets names such as `b:c` or
 * `a b` through).
 *
 * @public
 */
export function normalizeEntityRef(
  ref: unknown,
  defaults: { defaultKind?: string; defaultNamespace?: string } = {},
): string | undefined {
  if (typeof ref !== 'string' || !ref) return undefined;
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: defaults.defaultKind,
      defaultNamespace: defaults.defaultNamespace ?? 'default',
    });
    // Refs compare case-insensitively, so `Default` is the namespace `default`.
    if (
      !refValidator.isValidKind(parsed.kind) ||
      !refValidator.isValidNamespace(
        parsed.namespace.toLocaleLowerCase('en-US'),
      ) ||
      !refValidator.isValidEntityName(parsed.name)
    ) {
      return undefined;
    }
    return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
