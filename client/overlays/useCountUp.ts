import { useEffect, useRef, useState } from 'react';

export const countUpDefaults = { durationMs: 500, pulseMs: 400 } as const;

/**
 * Animate a number towards `target` over `durationMs` (ease-out). A new target mid-animation
 * continues from the value on screen, so queued updates merge into one smooth move.
 */
export function useCountUp(
  target: number,
  durationMs: number = countUpDefaults.durationMs,
): { value: number; pulsing: boolean } {
  const [value, setValue] = useState(target);
  const [pulsing, setPulsing] = useState(false);
  const shown = useRef(target);
  const reduceMotion =
    typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

  useEffect(() => {
    const from = shown.current;
    if (from === target) return;
    setPulsing(true);
    const pulse = setTimeout(() => setPulsing(false), countUpDefaults.pulseMs);
    if (reduceMotion || durationMs <= 0) {
      shown.current = target;
      setValue(target);
      return () => clearTimeout(pulse);
    }
    const start = performance.now();
    let frame = 0;
    const step = (now: number) => {
      const t = Math.min(1, (now - start) / durationMs);
      const eased = 1 - (1 - t) ** 3;
      const v = Math.round(from + (target - from) * eased);
      shown.current = v;
      setValue(v);
      if (t < 1) frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(pulse);
    };
  }, [target, durationMs, reduceMotion]);

  return { value, pulsing };
}
