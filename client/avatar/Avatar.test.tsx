// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useMaya } from '../store.ts';
import { Avatar } from './Avatar.tsx';

afterEach(cleanup);

describe('Avatar without WebGL', () => {
  it('falls back to the drawn bartender, still showing the emotion from the store', async () => {
    // jsdom has no WebGL: three.js cannot create a context, exactly like a browser with WebGL off.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    useMaya.setState({
      state: {
        version: 1,
        phase: 'order_taking',
        emotion: 'happy',
        order: [],
        payment: {
          balanceCents: 0,
          tabCents: 0,
          tipPercent: null,
          tipCents: 0,
          totalCents: 0,
          status: 'pending',
          tabNo: 1,
          checkoutUrl: null,
        },
      },
    });
    render(<Avatar />);
    const stage = await screen.findByRole('img', { name: 'Maya the bartender, looking happy' });
    expect(stage.tagName.toLowerCase()).toBe('svg');
    expect(screen.getByTestId('stage').getAttribute('data-emotion')).toBe('happy');
  });
});
