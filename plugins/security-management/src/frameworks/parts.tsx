import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  FrameworkSummary,
  FrameworkWarning,
  RequirementCoverageStatus,
} from '@open-itsm/plugin-security-management-common';
import { CONTROL_STATUS_TONE, Tone, ToneChip } from '../components/chips';
import { humanize } from '../lib/format';

const COVERAGE_TONE: Record<RequirementCoverageStatus, Tone> = {
  ...CONTROL_STATUS_TONE,
  'not-applied': 'neutral',
  uncovered: 'warn',
};

/** A requirement's status: a control status, not applied or uncovered. */
export function RequirementStatusChip(props: {
  status: RequirementCoverageStatus;
}) {
  return (
    <ToneChip
      tone={COVERAGE_TONE[props.status]}
      label={humanize(props.status)}
    />
  );
}

/** A requirement's label, linked to its catalog entity when imported, and its title. */
export function RequirementName(props: {
  label: string;
  title?: string;
  requirementRef?: string;
}) {
  const { label, title, requirementRef } = props;
  return (
    <Box>
      {requirementRef ? (
        <EntityRefLink entityRef={requirementRef}>{label}</EntityRefLink>
      ) : (
        <Typography variant="body2" component="span">
          {label}
        </Typography>
      )}
      {title && (
        <Typography variant="caption" display="block" color="textSecondary">
          {title}
        </Typography>
      )}
    </Box>
  );
}

/** Picks one of the frameworks. */
export function FrameworkPicker(props: {
  frameworks: FrameworkSummary[];
  value: string;
  onChange: (framework: string) => void;
}) {
  return (
    <TextField
      select
      id="framework-picker"
      label="Framework"
      variant="outlined"
      size="small"
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      style={{ minWidth: 280 }}
    >
      {props.frameworks.map(framework => (
        <MenuItem key={framework.framework} value={framework.framework}>
          {framework.title}
          {framework.source === 'mapped' ? ' (from control mappings)' : ''}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** Control mappings that name no requirement of an imported framework. */
export function FrameworkWarnings(props: { warnings: FrameworkWarning[] }) {
  if (!props.warnings.length) return null;
  return (
    <Box mb={2}>
      <Alert severity="warning">
        {props.warnings.length === 1
          ? '1 control mapping names'
          : `${props.warnings.length} control mappings name`}{' '}
        no requirement of this framework:
        <ul style={{ margin: 0 }}>
          {props.warnings.map(warning => (
            <li key={`${warning.controlRef}:${warning.ref}`}>
              <EntityRefLink entityRef={warning.controlRef}>
                {warning.controlTitle}
              </EntityRefLink>{' '}
              maps to {warning.ref}
            </li>
          ))}
        </ul>
      </Alert>
    </Box>
  );
}
