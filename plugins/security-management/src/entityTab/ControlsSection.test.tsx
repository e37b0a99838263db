import { screen, within } from '@testing-library/react';
import {
  controlPosture,
  entityApi,
  fromNow,
  mfaControl,
  posture,
  renderWithApis,
  tlsControl,
} from '../__testUtils__/fixtures';
import { openDialog, renderEntityTab } from '../__testUtils__/surfaces';
import { ControlsSection } from './ControlsSection';

describe('ControlsSection', () => {
  it('keeps a 10,000-character control title to two lines, the full title in its tooltip', async () => {
    const title = `Encrypt ${'x'.repeat(10_000)}`;
    await renderEntityTab(
      entityApi({
        getEntityPosture: jest.fn().mockResolvedValue(
          posture({
            controls: [controlPosture({ control: { ...tlsControl, title } })],
          }),
        ),
      }),
    );

    const shown = await screen.findByTitle(title);
    expect(shown).toHaveStyle({
      display: '-webkit-box',
      overflow: 'hidden',
      overflowWrap: 'anywhere',
    });
    expect(shown.style.webkitLineClamp).toBe('2');
    // Only the start of the title is in the page; the rest is in the tooltip.
    expect(shown.textContent!.length).toBeLessThanOrEqual(1000);
    expect(shown.textContent).toMatch(/^Encrypt x+…$/);
  });

  it('says a failing control is to be retested now, not when a passing test would be due', async () => {
    await renderEntityTab(
      entityApi({
        getEntityPosture: jest.fn().mockResolvedValue(
          posture({
            controls: [
              controlPosture({
                status: 'failing',
                lastResult: 'fail',
                lastTestedAt: fromNow({ days: -1 }),
                // The API leaves the due date out for a failing control.
                nextDueAt: undefined,
              }),
              controlPosture({
                control: mfaControl,
                status: 'passing',
                lastTestedAt: fromNow({ days: -1 }),
                nextDueAt: fromNow({ days: 29, hours: 1 }),
              }),
            ],
          }),
        ),
      }),
    );

    const failingRow = (
      await screen.findByRole('link', { name: tlsControl.title })
    ).closest('tr')!;
    expect(failingRow).toHaveTextContent('Retest now');
    expect(failingRow).not.toHaveTextContent(/in \d+ (days|months)/);
    const passingRow = screen
      .getByRole('link', { name: mfaControl.title })
      .closest('tr')!;
    expect(passingRow).toHaveTextContent('in 29 days');
  });

  it("shows an inherited control with the parent's status and a link to the parent, and records tests only for its own controls", async () => {
    const value = posture({
      controls: [
        controlPosture({
          status: 'failing',
          lastResult: 'fail',
          lastTestedAt: fromNow({ days: -2 }),
          nextDueAt: undefined,
          inheritedFrom: 'resource:default/payments-db',
        }),
        controlPosture({ control: mfaControl, status: 'untested' }),
      ],
    });
    await renderWithApis(
      <ControlsSection
        entityRef={value.entityRef}
        state={{ loading: false, value, retry: () => {} }}
      />,
      {
        api: entityApi(),
        allow: ['security-management.test-record.create'],
      },
    );

    const inheritedRow = (
      await screen.findByRole('link', { name: tlsControl.title })
    ).closest('tr')!;
    expect(inheritedRow).toHaveTextContent('Inherited from');
    expect(inheritedRow).toHaveTextContent('Failing');
    expect(
      within(inheritedRow).getByRole('link', { name: /payments-db/ }),
    ).toHaveAttribute('href', '/catalog/default/resource/payments-db');
    const ownRow = screen
      .getByRole('link', { name: mfaControl.title })
      .closest('tr')!;
    expect(ownRow).not.toHaveTextContent('Inherited from');

    // The inherited control is tested on the parent, so it is not offered here.
    const dialog = await openDialog('Record test');
    const select = within(dialog).getByRole('combobox', { name: /control/i });
    expect(
      within(select)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['Choose…', mfaControl.title]);
  });
});
