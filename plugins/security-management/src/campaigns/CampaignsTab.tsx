import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  Campaign,
  CampaignStatus,
  securityCampaignManagePermission,
} from '@open-itsm/plugin-security-management-common';
import { securityManagementApiRef } from '../api/SecurityManagementApi';
import { AsyncContent } from '../components/AsyncContent';
import { ToggleChip } from '../components/filters';
import { useRefreshSecurityData, useSecurityData } from '../lib/data';
import { serverMessage } from '../lib/errors';
import { formatDate, formatRelative } from '../lib/format';
import { CampaignOwnersTable } from './CampaignOwnersTable';
import { CampaignProgressBar } from './CampaignProgressBar';
import { StartCampaignDialog } from './StartCampaignDialog';

const LIST_LIMIT = 100;

/** How an archived campaign ended, in words. */
function outcomeOf(campaign: Campaign): string {
  const result = campaign.result;
  if (!result) return '';
  if (result.met) return 'Met';
  return result.endedBy === 'manager' ? 'Closed early' : 'Missed';
}

/** What a campaign covers: its controls, advisories and scope. */
function CampaignScopeText(props: { campaign: Campaign }) {
  const { controlRefs, advisoryIds, scope, entityCount } = props.campaign;
  const filter = Object.entries(scope.filter ?? {})
    .map(([key, value]) => `${key}=${[value].flat().join('|')}`)
    .join(', ');
  const parts = [
    controlRefs.length ? `Controls: ${controlRefs.join(', ')}` : '',
    advisoryIds.length ? `Advisories: ${advisoryIds.join(', ')}` : '',
    `Scope: ${entityCount} ${entityCount === 1 ? 'entity' : 'entities'}${
      filter ? ` matching ${filter}` : ''
    }${scope.entityRefs?.length ? ` (named: ${scope.entityRefs.length})` : ''}`,
  ].filter(Boolean);
  return (
    <>
      {parts.map(part => (
        <Typography key={part} variant="body2" color="textSecondary">
          {part}
        </Typography>
      ))}
    </>
  );
}

function CloseButton(props: { campaign: Campaign }) {
  const api = useApi(securityManagementApiRef);
  const alertApi = useApi(alertApiRef);
  const refresh = useRefreshSecurityData();
  const [busy, setBusy] = useState(false);
  const close = async () => {
    setBusy(true);
    try {
      await api.closeCampaign({ id: props.campaign.id });
      alertApi.post({
        message: `Campaign closed: ${props.campaign.name}`,
        severity: 'success',
        display: 'transient',
      });
      refresh();
    } catch (e) {
      alertApi.post({ message: serverMessage(e), severity: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      size="small"
      variant="outlined"
      disabled={busy}
      onClick={close}
      aria-label={`Close ${props.campaign.name}`}
    >
      Close and archive
    </Button>
  );
}

function CampaignCard(props: { campaign: Campaign; canManage: boolean }) {
  const { campaign, canManage } = props;
  const [open, setOpen] = useState(false);
  const archived = campaign.status === 'archived';
  const pastDeadline = !archived && Date.parse(campaign.deadline) <= Date.now();
  return (
    <Accordion
      expanded={open}
      onChange={(_e, expanded) => setOpen(expanded)}
      TransitionProps={{ unmountOnExit: true }}
    >
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Box display="flex" width="100%" alignItems="center" flexWrap="wrap">
          <Box flex="1 1 300px" pr={2}>
            <Typography variant="subtitle1">
              <strong>{campaign.name}</strong>
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {archived
                ? `Ended ${formatDate(
                    campaign.archivedAt,
                  )} · deadline ${formatDate(campaign.deadline)}`
                : `Due ${formatDate(campaign.deadline)} (${formatRelative(
                    campaign.deadline,
                  )})`}
            </Typography>
          </Box>
          <Box flex="1 1 260px" pr={2}>
            <CampaignProgressBar
              progress={campaign.progress}
              label={campaign.name}
            />
          </Box>
          {archived && <Chip size="small" label={outcomeOf(campaign)} />}
          {pastDeadline && (
            <Chip size="small" label="Deadline passed, archiving" />
          )}
        </Box>
      </AccordionSummary>
      <AccordionDetails>
        <Box width="100%">
          <Typography variant="body2" paragraph>
            {campaign.goal}
          </Typography>
          <CampaignScopeText campaign={campaign} />
          <Typography variant="caption" color="textSecondary" component="p">
            Started {formatDate(campaign.startedAt)} by {campaign.startedBy}
            {campaign.closedBy && ` · closed by ${campaign.closedBy}`}
          </Typography>
          {canManage && !archived && (
            <Box mt={1}>
              <CloseButton campaign={campaign} />
            </Box>
          )}
          <Box mt={2}>
            <CampaignOwnersTable id={campaign.id} name={campaign.name} />
          </Box>
        </Box>
      </AccordionDetails>
    </Accordion>
  );
}

/**
 * Campaigns on the security page: the active ones by deadline with their
 * progress, or the archived ones with their result; a manager starts and
 * closes them. Each opens onto its progress per owner.
 */
export function CampaignsTab() {
  const [status, setStatus] = useState<CampaignStatus>('active');
  const [starting, setStarting] = useState(false);
  const { allowed: canManage } = usePermission({
    permission: securityCampaignManagePermission,
  });
  const state = useSecurityData(
    api => api.listCampaigns({ status, limit: LIST_LIMIT }),
    [status],
  );
  return (
    <>
      <Box
        display="flex"
        justifyContent="space-between"
        alignItems="flex-start"
        mb={1}
      >
        <Box role="group" aria-label="Status">
          {(['active', 'archived'] as const).map(value => (
            <ToggleChip
              key={value}
              label={value === 'active' ? 'Active' : 'Archived'}
              on={value === status}
              onClick={() => setStatus(value)}
            />
          ))}
        </Box>
        {canManage && (
          <Button
            variant="contained"
            color="primary"
            onClick={() => setStarting(true)}
          >
            Start campaign
          </Button>
        )}
      </Box>
      <AsyncContent state={state} action="view campaigns">
        {page =>
          page.items.length === 0 ? (
            <Typography variant="body2">
              {status === 'active'
                ? 'No active campaign.'
                : 'No archived campaign.'}
            </Typography>
          ) : (
            <>
              {page.items.map(campaign => (
                <CampaignCard
                  key={campaign.id}
                  campaign={campaign}
                  canManage={canManage}
                />
              ))}
              {page.totalCount > page.items.length && (
                <Typography variant="caption" color="textSecondary">
                  Showing {page.items.length} of {page.totalCount}.
                </Typography>
              )}
            </>
          )
        }
      </AsyncContent>
      <StartCampaignDialog open={starting} onClose={() => setStarting(false)} />
    </>
  );
}
