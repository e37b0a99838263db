import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard, Link, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  FrameworkSummary,
  SoaRequirement,
  StatementOfApplicability,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { AsyncContent } from '../components/AsyncContent';
import { ControlStatusChip } from '../components/chips';
import { useSecurityData } from '../lib/data';
import { downloadFile } from '../lib/download';
import { serverMessage } from '../lib/errors';
import { formatDate } from '../lib/format';
import {
  FrameworkPicker,
  FrameworkWarnings,
  RequirementName,
  RequirementStatusChip,
} from './parts';

const columns: TableColumn<SoaRequirement>[] = [
  {
    title: 'Requirement',
    field: 'label',
    render: r => (
      <RequirementName
        label={r.label}
        title={r.title}
        requirementRef={r.requirementRef}
      />
    ),
  },
  {
    title: 'Applicable',
    field: 'applicable',
    render: r => (r.applicable ? 'Yes' : 'No'),
  },
  {
    title: 'Status',
    field: 'status',
    render: r => (r.status ? <RequirementStatusChip status={r.status} /> : '—'),
  },
  {
    title: 'Controls',
    sorting: false,
    render: r =>
      r.controls.length ? (
        <Box>
          {r.controls.map(control => (
            <Box key={control.controlRef} mb={0.5}>
              <EntityRefLink entityRef={control.controlRef}>
                {control.title}
              </EntityRefLink>{' '}
              {control.status ? (
                <ControlStatusChip status={control.status} />
              ) : (
                <Typography variant="caption" color="textSecondary">
                  does not apply
                </Typography>
              )}
              {control.lastTestedAt && (
                <Typography variant="caption" display="block">
                  Last tested {formatDate(control.lastTestedAt)}
                  {control.evidenceUrl && (
                    <>
                      {' · '}
                      <Link to={control.evidenceUrl}>evidence</Link>
                    </>
                  )}
                </Typography>
              )}
            </Box>
          ))}
        </Box>
      ) : (
        '—'
      ),
  },
  {
    title: 'Justification',
    field: 'justification',
    render: r => r.justification ?? '',
  },
];

/** `component:default/shop` as `shop`, as the backend names the file. */
function fileNameOf(entityRef: string): string {
  return (entityRef.split('/').pop() ?? entityRef).replace(
    /[^a-z0-9.-]+/gi,
    '-',
  );
}

function Statement(props: {
  soa: StatementOfApplicability;
  onDownloadCsv: () => void;
  busy: boolean;
}) {
  const { soa, onDownloadCsv, busy } = props;
  const { summary } = soa;
  return (
    <>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        mb={2}
        style={{ gap: 16 }}
      >
        <Typography variant="body2">
          {summary.applicableCount} of {summary.requirementCount} requirements
          of {soa.frameworkTitle} apply to this entity
          {summary.applicableCount > 0 &&
            `: ${summary.byStatus.passing} passing, ${summary.byStatus.failing} failing, ${summary.byStatus.overdue} overdue, ${summary.byStatus.untested} untested, ${summary.byStatus.excepted} excepted`}
          .
        </Typography>
        <Button
          variant="outlined"
          color="primary"
          size="small"
          disabled={busy}
          onClick={onDownloadCsv}
        >
          Download CSV
        </Button>
        <Button
          variant="outlined"
          color="primary"
          size="small"
          onClick={() =>
            downloadFile({
              name: `soa-${fileNameOf(soa.entityRef)}-${soa.framework}.json`,
              type: 'application/json',
              content: JSON.stringify(soa, null, 2),
            })
          }
        >
          Download JSON
        </Button>
      </Box>
      <FrameworkWarnings warnings={soa.warnings} />
      <Table<SoaRequirement>
        columns={columns}
        data={soa.requirements}
        options={{
          search: true,
          paging: soa.requirements.length > 10,
          pageSize: 10,
          padding: 'dense',
          toolbar: true,
          showTitle: false,
        }}
      />
    </>
  );
}

function StatementOfFramework(props: {
  entityRef: string;
  frameworks: FrameworkSummary[];
}) {
  const { entityRef, frameworks } = props;
  const api = useApi(securityManagementApiRef);
  const [framework, setFramework] = useState(frameworks[0].framework);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const soa = useSecurityData(
    client => client.getStatementOfApplicability({ entityRef, framework }),
    [entityRef, framework],
  );

  const downloadCsv = async () => {
    setBusy(true);
    setError(undefined);
    try {
      downloadFile({
        name: `soa-${fileNameOf(entityRef)}-${framework}.csv`,
        type: 'text/csv',
        content: await api.getStatementOfApplicabilityCsv({
          entityRef,
          framework,
        }),
      });
    } catch (e) {
      setError(serverMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Box mb={2}>
        <FrameworkPicker
          frameworks={frameworks}
          value={framework}
          onChange={setFramework}
        />
      </Box>
      {error && (
        <Box mb={2}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
      <AsyncContent state={soa} action="view the Statement of Applicability">
        {value => (
          <Statement soa={value} onDownloadCsv={downloadCsv} busy={busy} />
        )}
      </AsyncContent>
    </>
  );
}

function FrameworksOfLibrary(props: { entityRef: string }) {
  const frameworks = useSecurityData(api => api.listFrameworks(), []);
  return (
    <AsyncContent state={frameworks} action="view the frameworks">
      {list =>
        list.items.length ? (
          <StatementOfFramework
            entityRef={props.entityRef}
            frameworks={list.items}
          />
        ) : (
          <Typography variant="body2">
            No framework to report against yet: import one from OSCAL or map
            controls to one with their <code>spec.frameworks</code>.
          </Typography>
        )
      }
    </AsyncContent>
  );
}

/**
 * The entity's Statement of Applicability for a framework the library
 * imports or maps: every requirement, applicable or not with the reason,
 * the controls that satisfy it with their status, last test and evidence;
 * downloadable as CSV and JSON. It loads when opened, so the Security tab
 * costs no extra request until someone asks for it.
 */
export function StatementOfApplicabilityCard(props: { entityRef: string }) {
  const [open, setOpen] = useState(false);
  return (
    <InfoCard title="Statement of Applicability">
      {open ? (
        <FrameworksOfLibrary entityRef={props.entityRef} />
      ) : (
        <Box display="flex" alignItems="center" style={{ gap: 16 }}>
          <Typography variant="body2">
            Which requirements of a framework (NIST SP 800-53, ISO/IEC 27001,
            SOC 2…) apply to this entity, the controls that implement them,
            their status, last test and evidence.
          </Typography>
          <Button
            variant="outlined"
            color="primary"
            onClick={() => setOpen(true)}
          >
            Show
          </Button>
        </Box>
      )}
    </InfoCard>
  );
}
