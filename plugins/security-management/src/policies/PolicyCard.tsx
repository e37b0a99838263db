import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  PolicyStatement,
  SecurityPolicy,
  SecurityPolicyStatus,
  toMillis,
} from '@open-itsm/plugin-security-management-common';
import { DateTime } from 'luxon';
import { Tone, ToneChip } from '../components/chips';
import { WRAP_STYLE } from '../components/OverflowText';
import { describeCadence, humanize } from '../lib/format';
import { CoverageBar } from './CoverageBar';

const STATUS_TONE: Record<SecurityPolicyStatus, Tone> = {
  approved: 'good',
  draft: 'info',
  retired: 'neutral',
};

/**
 * A policy date. Policies are dated in days, stored as midnight UTC, so the
 * date is shown in UTC: the day the YAML names, in every time zone.
 */
export function formatPolicyDate(value?: string): string {
  if (!value) return '—';
  return DateTime.fromMillis(toMillis(value), { zone: 'utc' }).toLocaleString(
    DateTime.DATE_MED,
  );
}

function Review(props: { policy: SecurityPolicy }) {
  const { policy } = props;
  if (!policy.nextReviewAt) {
    return (
      <Typography variant="body2" color="textSecondary">
        Reviewed {describeCadence(policy.reviewCadence)}; no review date yet
      </Typography>
    );
  }
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      <Typography
        variant="body2"
        color={policy.reviewOverdue ? 'error' : 'textPrimary'}
      >
        Next review {formatPolicyDate(policy.nextReviewAt)} (
        {describeCadence(policy.reviewCadence)})
      </Typography>
      {policy.reviewOverdue && <ToneChip tone="bad" label="Review overdue" />}
    </Box>
  );
}

function Controls(props: { statement: PolicyStatement }) {
  const { controls } = props.statement;
  if (controls.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No control named yet
      </Typography>
    );
  }
  return (
    <Box component="ul" m={0} pl={2}>
      {controls.map(control => (
        <li key={control.ref}>
          {control.exists ? (
            <>
              <EntityRefLink entityRef={control.ref}>
                {control.title ?? control.ref}
              </EntityRefLink>{' '}
              <Typography
                component="span"
                variant="caption"
                color="textSecondary"
              >
                applies to {control.applicableCount}
              </Typography>
            </>
          ) : (
            <>
              <Typography component="span" variant="body2">
                {control.ref}
              </Typography>{' '}
              <ToneChip tone="warn" label="Not in the catalog" />
            </>
          )}
        </li>
      ))}
    </Box>
  );
}

function Statements(props: { policy: SecurityPolicy }) {
  const { policy } = props;
  return (
    <Table size="small" aria-label={`Statements of ${policy.title}`}>
      <TableHead>
        <TableRow>
          <TableCell>Statement</TableCell>
          <TableCell>Controls</TableCell>
          <TableCell>Coverage</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {policy.statements.map(statement => (
          <TableRow key={statement.id}>
            <TableCell style={{ width: '45%' }}>
              <Typography variant="body2">
                <strong>{statement.title ?? statement.id}</strong>
              </Typography>
              <Typography variant="body2" style={WRAP_STYLE}>
                {statement.text}
              </Typography>
            </TableCell>
            <TableCell>
              <Controls statement={statement} />
            </TableCell>
            <TableCell style={{ width: '25%' }}>
              <Box mb={0.5}>
                <ToneChip
                  tone={statement.covered ? 'good' : 'warn'}
                  label={statement.covered ? 'Covered' : 'Not covered'}
                />
              </Box>
              <CoverageBar counts={statement.counts} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * One policy of the tree: status, version, owner, approval, next review,
 * warnings, and its statements with the coverage of their controls.
 */
export function PolicyCard(props: { policy: SecurityPolicy }) {
  const { policy } = props;
  return (
    <Paper variant="outlined" aria-label={policy.title} role="region">
      <Box p={2}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          <Typography variant="h6" component="h3">
            <EntityRefLink entityRef={policy.ref}>{policy.title}</EntityRefLink>
          </Typography>
          <ToneChip
            tone={STATUS_TONE[policy.status]}
            label={humanize(policy.status)}
          />
          <Chip size="small" variant="outlined" label={`v${policy.version}`} />
          <Typography variant="body2" color="textSecondary">
            {policy.coverage.covered} of {policy.coverage.statements}{' '}
            {policy.coverage.statements === 1 ? 'statement' : 'statements'}{' '}
            covered
          </Typography>
        </Box>
        {policy.description && (
          <Typography variant="body2" style={WRAP_STYLE}>
            {policy.description}
          </Typography>
        )}
        <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 24 }}>
          <Typography variant="body2">
            Owner <EntityRefLink entityRef={policy.owner} />
          </Typography>
          <Typography variant="body2">
            {policy.approver ? (
              <>
                Approved by <EntityRefLink entityRef={policy.approver} /> on{' '}
                {formatPolicyDate(policy.approvedAt)}
              </>
            ) : (
              'Not approved'
            )}
          </Typography>
          <Review policy={policy} />
        </Box>
        {policy.warnings.length > 0 && (
          <Box mt={1}>
            <Alert severity="warning">
              {policy.warnings.map(warning => (
                <div
                  key={`${warning.kind}:${warning.statementId}:${warning.ref}`}
                >
                  {warning.message}
                </div>
              ))}
            </Alert>
          </Box>
        )}
        <Box mt={1}>
          <Statements policy={policy} />
        </Box>
      </Box>
    </Paper>
  );
}
