import { FormEvent, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  ACTIVE_ADVISORY_FINDING_STATUSES,
  ADVISORY_FINDING_STATUSES,
  ADVISORY_SEVERITIES,
  AdvisoryFindingQuery,
  AdvisoryFindingStatus,
  AdvisorySeverity,
} from '@open-itsm/plugin-security-management-common';
import { humanize } from '../lib/format';
import { isGroupRef } from '../lib/validation';
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

function toggle<T>(list: T[], item: T): T[] {
  return list.includes(item) ? list.filter(i => i !== item) : [...list, item];
}

function ChipFilter<T extends string>(props: {
  label: string;
  options: readonly T[];
  labels?: Record<T, string>;
  selected: T[];
  onChange: (selected: T[]) => void;
}) {
  return (
    <Box mb={1} role="group" aria-label={props.label}>
      <Typography variant="caption" component="span" style={{ marginRight: 8 }}>
        {props.label}
      </Typography>
      {props.options.map(option => {
        const on = props.selected.includes(option);
        return (
          <Chip
            key={option}
            size="small"
            label={props.labels?.[option] ?? humanize(option)}
            clickable
            aria-pressed={on}
            color={on ? 'primary' : 'default'}
            variant={on ? 'default' : 'outlined'}
            onClick={() => props.onChange(toggle(props.selected, option))}
            style={{ marginRight: 4 }}
          />
        );
      })}
    </Box>
  );
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
  const [owner, setOwner] = useState(value.owner);
  const [ownerError, setOwnerError] = useState<string>();

  const applyOwner = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = owner.trim();
    if (trimmed && !isGroupRef(trimmed)) {
      setOwnerError('Enter a group ref such as group:default/payments');
      return;
    }
    setOwnerError(undefined);
    onChange({ ...value, owner: trimmed });
  };

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
      <Box
        component="form"
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 16 }}
        onSubmit={applyOwner}
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
        <TextField
          id="advisories-owner"
          label="Owner"
          placeholder="group:default/payments"
          InputLabelProps={{ shrink: true }}
          value={owner}
          error={Boolean(ownerError)}
          helperText={ownerError}
          onChange={e => setOwner(e.target.value)}
        />
        <Button type="submit" variant="outlined">
          Apply
        </Button>
      </Box>
    </Box>
  );
}
