import Typography from '@material-ui/core/Typography';
import {
  AlertFilter,
  normalizeEntityRef,
} from '@open-itsm/plugin-security-management-common';
import { GROUP_REF_PROMPT, splitList } from '../lib/validation';
import { Field } from './fields';

/** The form values of a scope: entities named and/or a catalog filter. */
export interface ScopeValues {
  entityRefs: string;
  kind: string;
  type: string;
  lifecycle: string;
  owner: string;
}

/** An empty scope, to spread into a form's initial values. */
export const EMPTY_SCOPE: ScopeValues = {
  entityRefs: '',
  kind: '',
  type: '',
  lifecycle: '',
  owner: '',
};

/** The catalog fields the form's filter sets, by form field. */
const FILTER_FIELDS = {
  kind: 'kind',
  type: 'spec.type',
  lifecycle: 'spec.lifecycle',
  owner: 'relations.ownedBy',
} as const;

/**
 * The request's scope from the form: refs as typed (the kind defaults to
 * component, like the catalog's), the filter's non-empty fields (the owner
 * as a group ref), and the owner's problem if it is not a ref.
 */
export function scopeOf(values: ScopeValues): {
  entityRefs?: string[];
  filter?: AlertFilter;
  ownerProblem?: string;
} {
  const owner = values.owner.trim();
  const ownerRef = owner
    ? normalizeEntityRef(owner, { defaultKind: 'group' })
    : undefined;
  const filter: AlertFilter = {};
  for (const [field, key] of Object.entries(FILTER_FIELDS)) {
    const value =
      field === 'owner'
        ? ownerRef ?? owner
        : values[field as keyof typeof FILTER_FIELDS].trim();
    if (value) filter[key] = value;
  }
  const refs = splitList(values.entityRefs).map(
    ref => normalizeEntityRef(ref, { defaultKind: 'component' }) ?? ref,
  );
  return {
    entityRefs: refs.length ? refs : undefined,
    filter: Object.keys(filter).length ? filter : undefined,
    ownerProblem: owner && !ownerRef ? GROUP_REF_PROMPT : undefined,
  };
}

/** The entities field and the filter's fields of a scope. */
export function ScopeFields(props: {
  /** Prefix of the fields' ids, e.g. `alert` gives `alert-kind`. */
  idPrefix: string;
  entitiesLabel: string;
  values: ScopeValues;
  errors: Partial<Record<keyof ScopeValues, string>>;
  set: (field: keyof ScopeValues) => (value: string) => void;
}) {
  const { idPrefix, values, errors, set } = props;
  return (
    <>
      <Field
        id={`${idPrefix}-entities`}
        label={props.entitiesLabel}
        helperText="Entity refs, separated by commas (the kind defaults to component)"
        placeholder="component:default/payments-api"
        value={values.entityRefs}
        error={errors.entityRefs}
        onChange={set('entityRefs')}
      />
      <Typography variant="body2" color="textSecondary">
        and/or every catalog entity matching all of:
      </Typography>
      <Field
        id={`${idPrefix}-kind`}
        label="Kind"
        placeholder="component"
        inputProps={{ maxLength: 200 }}
        value={values.kind}
        error={errors.kind}
        onChange={set('kind')}
      />
      <Field
        id={`${idPrefix}-type`}
        label="Type"
        placeholder="service"
        inputProps={{ maxLength: 200 }}
        value={values.type}
        onChange={set('type')}
      />
      <Field
        id={`${idPrefix}-lifecycle`}
        label="Lifecycle"
        placeholder="production"
        inputProps={{ maxLength: 200 }}
        value={values.lifecycle}
        onChange={set('lifecycle')}
      />
      <Field
        id={`${idPrefix}-owner`}
        label="Owner"
        placeholder="group:default/payments"
        value={values.owner}
        error={errors.owner}
        onChange={set('owner')}
      />
    </>
  );
}
