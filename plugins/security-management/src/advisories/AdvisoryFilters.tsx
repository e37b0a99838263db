import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import {
  ACTIVE_ADVISORY_FINDING_STATUSES,
  ADVISORY_FINDING_STATUSES,
  ADVISORY_SEVERITIES,
  AdvisoryFindingQuery,
  AdvisoryFindingStatus,
  AdvisorySeverity,
} from '@open-itsm/plugin-security-management-common';
import { ChipFilter, OwnerFilterForm } from '../components/filters';
import { FINDING_STATUS_LABELS } from './format';

/** The filters of the organisation-wide list of findings. */
export interface AdvisoryFilterValues {
  status: AdvisoryFindingStatus[];
  severity: AdvisorySeverity[];
  knownExploited: boolean;
  overdue: boolean;
  owner: string;
}

/** Active findings of every severity, of every owner. */
export const DEFAULT_ADVISORY_FILTERS: AdvisoryFilterValues = {
  status: [...ACTIVE_ADVISORY_FINDING_STATUSES],
  severity: [],
  knownExploited: false,
  overdue: false,
  owner: '',
};

/**
 * The filters as the query they stand for. No status chosen means every
 * status (the server would otherwise default to the active ones); a switch
 * that is off filters nothing.
 */
export function toFindingQuery(
  filters: AdvisoryFilterValues,
): AdvisoryFindingQuery {
  return {
    status: filters.status.length
      ? filters.status
      : [...ADVISORY_FINDING_STATUSES],
    severity: filters.severity.length ? filters.severity : undefined,
    knownExploited: filters.knownExploited || undefined,
    overdue: filters.overdue || undefined,
    owner: filters.owner.trim() || undefined,
  };
}

/**
 * Status, severity, known exploited, overdue and owner. Chips and switches
 * apply at once; the owner when submitted, once it is a group ref.
 */
export function AdvisoryFilters(props: {
  value: AdvisoryFilterValues;
  onChange: (value: AdvisoryFilterValues) => void;
}) {
  const { value, onChange } = props;

  return (
    <Box mb={2}>
      <ChipFilter
        label="Status"
        options={ADVISORY_FINDING_STATUSES}
        labels={FINDING_STATUS_LABELS}
        selected={value.status}
        onChange={status => onChange({ ...value, status })}
      />
      <ChipFilter
        label="Severity"
        options={ADVISORY_SEVERITIES}
        selected={value.severity}
        onChange={severity => onChange({ ...value, severity })}
      />
      <OwnerFilterForm
        id="advisories-owner"
        initial={value.owner}
        onApply={owner => onChange({ ...value, owner })}
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 16 }}
      >
        <FormControlLabel
          control={
            <Switch
              checked={value.knownExploited}
              color="primary"
              onChange={e =>
                onChange({ ...value, knownExploited: e.target.checked })
              }
            />
          }
          label="Known exploited only"
        />
        <FormControlLabel
          control={
            <Switch
              checked={value.overdue}
              color="primary"
              onChange={e => onChange({ ...value, overdue: e.target.checked })}
            />
          }
          label="Overdue only"
        />
      </OwnerFilterForm>
    </Box>
  );
}
