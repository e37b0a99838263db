import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  ANNOTATION_KEV_PRODUCTS,
  ANNOTATION_PURLS,
  ANNOTATION_SBOM,
  ComponentSource,
} from '@open-itsm/plugin-security-management-common';
import { OverflowText } from '../components/OverflowText';
import { formatRelative } from '../lib/format';
import { COMPONENT_SOURCE_LABELS } from './format';

function componentCount(source: ComponentSource): string {
  if (source.kind === 'kev-product') {
    return source.componentCount === 1
      ? '1 product'
      : `${source.componentCount} products`;
  }
  return source.componentCount === 1
    ? '1 component'
    : `${source.componentCount} components`;
}

/**
 * Where the entity's components come from and whether they could be read:
 * a source that failed is an error with its message, which is how an owner
 * learns that their SBOM does not parse.
 */
export function ComponentSources(props: { sources: ComponentSource[] }) {
  return (
    <Box mb={2}>
      <Typography variant="subtitle2">Components from</Typography>
      {props.sources.map(source => {
        const label = COMPONENT_SOURCE_LABELS[source.kind];
        return (
          <Box key={`${source.kind}:${source.location}`} mt={1}>
            {source.status === 'error' ? (
              <Alert severity="error">
                <Typography variant="body2" component="div">
                  {label} could not be read:{' '}
                  <OverflowText
                    text={source.error ?? 'unknown error'}
                    lines={4}
                  />
                </Typography>
                <Typography variant="caption" component="div">
                  <OverflowText text={source.location} lines={1} />
                </Typography>
              </Alert>
            ) : (
              <Typography variant="body2" component="div">
                <strong>{label}</strong>: {componentCount(source)}, read{' '}
                {formatRelative(source.readAt)}
                <Typography
                  variant="caption"
                  component="div"
                  color="textSecondary"
                >
                  <OverflowText text={source.location} lines={1} />
                </Typography>
              </Typography>
            )}
            {source.warnings.map((warning, index) => (
              <Alert key={index} severity="warning">
                <OverflowText text={warning} lines={3} />
              </Alert>
            ))}
          </Box>
        );
      })}
    </Box>
  );
}

/** What to show when the entity declares no components, and how to fix it. */
export function NoComponentsState() {
  return (
    <>
      <Typography variant="body1" gutterBottom>
        This entity declares no components, so no advisory can be matched to it.
      </Typography>
      <Typography variant="body2" color="textSecondary" component="div">
        Say what it is built from with one of these annotations:
        <ul>
          <li>
            <code>{ANNOTATION_SBOM}</code>: a CycloneDX JSON SBOM, as a URL or a
            path relative to the catalog file (<code>./sbom.cdx.json</code>)
          </li>
          <li>
            <code>{ANNOTATION_PURLS}</code>: package URLs, such as{' '}
            <code>pkg:npm/express@4.22.3</code>
          </li>
          <li>
            <code>{ANNOTATION_KEV_PRODUCTS}</code>: the vendor products it runs,
            for CISA&apos;s catalog of known exploited vulnerabilities, such as{' '}
            <code>Apache:Log4j2; Microsoft:Exchange Server</code>
          </li>
        </ul>
      </Typography>
    </>
  );
}
