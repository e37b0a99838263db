import { ReactNode, useState } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  AdvisoryFinding,
  securityAdvisoryUpdatePermission,
} from '@open-itsm/plugin-security-management-common';
import { AdvisorySeverityChip } from '../components/chips';
import { OverflowText } from '../components/OverflowText';
import {
  AdvisoryLink,
  FindingDue,
  FindingStatusChip,
  KevDetail,
  KnownExploitedChip,
  MatchReasons,
} from './AdvisoryParts';
import {
  FindingTarget,
  moveLabel,
  movesFrom,
  TransitionFindingDialog,
} from './TransitionFindingDialog';

function advisoryColumn(showKevDetail: boolean): TableColumn<AdvisoryFinding> {
  return {
    title: 'Advisory',
    field: 'advisory.id',
    render: f => (
      <>
        <AdvisoryLink advisory={f.advisory} />
        <Typography variant="body2" component="div">
          <OverflowText text={f.advisory.summary} />
        </Typography>
        {showKevDetail && f.advisory.knownExploited && (
          <KevDetail advisory={f.advisory} />
        )}
      </>
    ),
  };
}

const entityColumn: TableColumn<AdvisoryFinding> = {
  title: 'Entity',
  field: 'entityRef',
  render: f => (
    <>
      <EntityRefLink entityRef={f.entityRef}>
        {f.entityTitle ? <OverflowText text={f.entityTitle} /> : undefined}
      </EntityRefLink>
      {f.owner && (
        <Typography variant="caption" display="block" color="textSecondary">
          <EntityRefLink entityRef={f.owner} />
        </Typography>
      )}
    </>
  ),
};

/**
 * Advisory findings with the reason each matches, and the moves the caller
 * may make (acknowledge, mitigated, not affected, resolve, reopen).
 */
export function FindingsTable(props: {
  findings: AdvisoryFinding[];
  /** For lists across entities: the entity and its owner. */
  showEntity?: boolean;
  /** At most this many reasons per row; the rest are counted. */
  maxReasons?: number;
  /** Page through the rows here (the list is not paged by the server). */
  clientPaging?: boolean;
  emptyContent: ReactNode;
}) {
  const { allowed: canUpdate } = usePermission({
    permission: securityAdvisoryUpdatePermission,
  });
  const [moving, setMoving] = useState<{
    finding: AdvisoryFinding;
    target: FindingTarget;
  }>();

  const columns: TableColumn<AdvisoryFinding>[] = [
    ...(props.showEntity ? [entityColumn] : []),
    advisoryColumn(!props.showEntity),
    {
      title: 'Severity',
      field: 'advisory.severity',
      render: f => (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          <AdvisorySeverityChip severity={f.advisory.severity} />
          {f.advisory.knownExploited && (
            <KnownExploitedChip advisory={f.advisory} />
          )}
        </Box>
      ),
    },
    {
      title: 'Why',
      sorting: false,
      render: f => <MatchReasons matches={f.matches} max={props.maxReasons} />,
    },
    {
      title: 'Status',
      field: 'status',
      render: f => (
        <>
          <FindingStatusChip finding={f} />
          {f.note && (
            <Typography variant="caption" display="block">
              <OverflowText text={f.note} />
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Due',
      field: 'dueAt',
      render: f => <FindingDue finding={f} />,
    },
  ];
  if (canUpdate) {
    columns.push({
      title: 'Actions',
      sorting: false,
      render: f => (
        <Box display="flex" flexDirection="column" alignItems="flex-start">
          {movesFrom(f.status).map(target => (
            <Button
              key={target}
              size="small"
              color={target === 'acknowledged' ? 'primary' : 'default'}
              onClick={() => setMoving({ finding: f, target })}
            >
              {moveLabel(target)}
            </Button>
          ))}
        </Box>
      ),
    });
  }

  return (
    <>
      <Table<AdvisoryFinding>
        columns={columns}
        data={props.findings}
        options={{
          search: false,
          paging: Boolean(props.clientPaging) && props.findings.length > 20,
          pageSize: 20,
          padding: 'dense',
          toolbar: false,
        }}
        emptyContent={<Box p={2}>{props.emptyContent}</Box>}
      />
      {moving && (
        <TransitionFindingDialog
          open
          onClose={() => setMoving(undefined)}
          finding={moving.finding}
          target={moving.target}
        />
      )}
    </>
  );
}
