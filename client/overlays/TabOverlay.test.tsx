// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PaymentView } from '../../shared/domain.ts';
import { TabOverlay, balanceTone, nextTip } from './TabOverlay.tsx';
import { countUpDefaults } from './useCountUp.ts';

const payment = (over: Partial<PaymentView> = {}): PaymentView => ({
  balanceCents: 100_000,
  tabCents: 0,
  tipPercent: null,
  tipCents: 0,
  totalCents: 0,
  status: 'pending',
  tabNo: 1,
  checkoutUrl: null,
  ...over,
});

afterEach(cleanup);

describe('balance colour', () => {
  it('is white from $50, amber above $0, red at $0', () => {
    expect(balanceTone(100_000)).toBe('ok');
    expect(balanceTone(5000)).toBe('ok');
    expect(balanceTone(4999)).toBe('low');
    expect(balanceTone(1)).toBe('low');
    expect(balanceTone(0)).toBe('empty');
  });

  it('is applied to the balance row', () => {
    const { rerender } = render(
      <TabOverlay payment={payment({ balanceCents: 4000 })} onTip={() => {}} />,
    );
    expect(screen.getByTestId('balance').closest('.money-row')?.className).toContain('tone-low');
    rerender(<TabOverlay payment={payment({ balanceCents: 0 })} onTip={() => {}} />);
    expect(screen.getByTestId('balance').closest('.money-row')?.className).toContain('tone-empty');
  });
});

describe('tip buttons', () => {
  it('are hidden while the tab is $0, with the tip and total lines', () => {
    render(<TabOverlay payment={payment()} onTip={() => {}} />);
    expect(screen.queryByRole('group', { name: 'Tip' })).toBeNull();
    expect(screen.queryByTestId('total')).toBeNull();
  });

  it('show 10/15/20 % with the selected one highlighted, and tapping it again removes the tip', () => {
    const onTip = vi.fn();
    render(
      <TabOverlay
        payment={payment({ tabCents: 1100, tipPercent: 15, tipCents: 165, totalCents: 1265 })}
        onTip={onTip}
      />,
    );
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['10%', '15%', '20%']);
    const selected = screen.getByRole('button', { name: '15%' });
    expect(selected.className).toContain('selected');
    expect(selected.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: '10%' }).getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(selected);
    expect(onTip).toHaveBeenLastCalledWith(null);
    fireEvent.click(screen.getByRole('button', { name: '20%' }));
    expect(onTip).toHaveBeenLastCalledWith(20);
  });

  it('toggles by the rule', () => {
    expect(nextTip(null, 10)).toBe(10);
    expect(nextTip(10, 10)).toBeNull();
    expect(nextTip(10, 20)).toBe(20);
  });
});

describe('count-up', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: [
        'setTimeout',
        'clearTimeout',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'performance',
      ],
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const cents = () =>
    Number((screen.getByTestId('tab').textContent ?? '').replace(/[$,]/g, '')) * 100;
  const pulsing = () =>
    screen.getByTestId('tab').closest('.money-row')?.className.includes('pulse') ?? false;

  it('counts up over 500 ms with a short pulse, instead of jumping', () => {
    const { rerender } = render(<TabOverlay payment={payment()} onTip={() => {}} />);
    rerender(<TabOverlay payment={payment({ tabCents: 26_000 })} onTip={() => {}} />);
    expect(pulsing()).toBe(true);
    act(() => void vi.advanceTimersByTime(200));
    const mid = cents();
    expect(mid).toBeGreaterThan(0);
    expect(mid).toBeLessThan(26_000);
    act(() => void vi.advanceTimersByTime(countUpDefaults.durationMs));
    expect(cents()).toBe(26_000);
    expect(pulsing()).toBe(false);
  });

  it('merges a queued update into one smooth move from the value on screen', () => {
    const { rerender } = render(<TabOverlay payment={payment()} onTip={() => {}} />);
    rerender(<TabOverlay payment={payment({ tabCents: 1000 })} onTip={() => {}} />);
    act(() => void vi.advanceTimersByTime(150));
    const shownAtSecondUpdate = cents();
    expect(shownAtSecondUpdate).toBeGreaterThan(0);
    expect(shownAtSecondUpdate).toBeLessThan(1000);
    rerender(<TabOverlay payment={payment({ tabCents: 3000 })} onTip={() => {}} />);
    const seen: number[] = [];
    for (let t = 0; t < countUpDefaults.durationMs + 50; t += 16) {
      act(() => void vi.advanceTimersByTime(16));
      seen.push(cents());
    }
    // Never back to 0 or a restart from 1000: monotonic from what was on screen, ending at the new total.
    expect(seen[0]).toBeGreaterThanOrEqual(shownAtSecondUpdate);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen.at(-1)).toBe(3000);
  });
});
