import { screen } from '@testing-library/react';
import {
  controlPosture,
  entityApi,
  posture,
  tlsControl,
} from '../__testUtils__/fixtures';
import { renderEntityTab } from '../__testUtils__/surfaces';

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
});
