import { CodeSnippet } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { SecurityPolicy } from '@open-itsm/plugin-security-management-common';
import { AsyncContent } from '../components/AsyncContent';
import { useSecurityData } from '../lib/data';
import { PolicyCard } from './PolicyCard';

/** What the empty state offers to copy. */
export const EXAMPLE_POLICY_YAML = `apiVersion: security.open-itsm.dev/v1alpha1
kind: SecurityPolicy
metadata:
  name: access-control-policy
  title: Access Control Policy
spec:
  owner: group:default/security-team
  version: '1.0.0'
  status: approved            # draft | approved | retired
  approval: { approver: user:default/ciso, approvedAt: 2026-03-01 }
  review: { cadence: P1Y }    # next review: approval date + cadence
  parent: it-security-policy  # the policy this one underpins
  statements:
    - id: strong-authentication
      text: Administrative access requires multi-factor authentication.
      controls: [mfa-admin-access]`;

function EmptyPolicies() {
  return (
    <Box>
      <Typography variant="h6" gutterBottom>
        No security policy in the catalog yet
      </Typography>
      <Typography variant="body2" paragraph>
        Write the IT security policy and the policies that underpin it as
        SecurityPolicy entities in catalog YAML. Each statement names the
        SecurityControls that implement it; this page then shows how far each
        statement is covered and which policies are due for review. For example:
      </Typography>
      <CodeSnippet
        language="yaml"
        text={EXAMPLE_POLICY_YAML}
        showCopyCodeButton
      />
    </Box>
  );
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function Summary(props: { policies: SecurityPolicy[] }) {
  const { policies } = props;
  const overdue = policies.filter(p => p.reviewOverdue).length;
  const warned = policies.filter(p => p.warnings.length > 0).length;
  const statements = policies.reduce((n, p) => n + p.coverage.statements, 0);
  const covered = policies.reduce((n, p) => n + p.coverage.covered, 0);
  return (
    <Typography variant="body1" component="p">
      {count(policies.length, 'policy', 'policies')} · {covered} of{' '}
      {count(statements, 'statement')} covered
      {overdue > 0 && (
        <Typography component="span" color="error">
          {' '}
          · {count(overdue, 'review')} overdue
        </Typography>
      )}
      {warned > 0 && ` · ${count(warned, 'policy', 'policies')} with warnings`}
    </Typography>
  );
}

/** A policy and, nested beneath it, the policies that underpin it. */
function PolicyNode(props: {
  policy: SecurityPolicy;
  byRef: Map<string, SecurityPolicy>;
}) {
  const { policy, byRef } = props;
  const children = policy.childRefs
    .map(ref => byRef.get(ref))
    .filter((child): child is SecurityPolicy => child !== undefined);
  return (
    <Box component="li" mb={2} style={{ listStyle: 'none' }}>
      <PolicyCard policy={policy} />
      {children.length > 0 && (
        <Box
          component="ul"
          aria-label={`Policies under ${policy.title}`}
          mt={2}
          mb={0}
          pl={4}
        >
          {children.map(child => (
            <PolicyNode key={child.ref} policy={child} byRef={byRef} />
          ))}
        </Box>
      )}
    </Box>
  );
}

/**
 * The policy tree: the IT security policy and the policies that underpin
 * it, each with its status, approval, next review and warnings, and every
 * statement with the coverage of the controls that implement it.
 */
export function PoliciesTab() {
  const state = useSecurityData(api => api.listPolicies(), []);
  return (
    <AsyncContent state={state} action="view the security policies">
      {list => {
        if (list.items.length === 0) return <EmptyPolicies />;
        const byRef = new Map(list.items.map(p => [p.ref, p]));
        const roots = list.items.filter(p => p.depth === 0);
        return (
          <>
            <Summary policies={list.items} />
            <Box component="ul" aria-label="Policy tree" p={0} mt={2}>
              {roots.map(root => (
                <PolicyNode key={root.ref} policy={root} byRef={byRef} />
              ))}
            </Box>
          </>
        );
      }}
    </AsyncContent>
  );
}
