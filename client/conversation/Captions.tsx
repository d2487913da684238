import { useEffect, useRef } from 'react';
import type { Caption } from '../store.ts';

export function Captions({ captions }: { captions: Caption[] }) {
  const ref = useRef<HTMLElement>(null);
  // Keep the newest line in view when the list is taller than its box.
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [captions]);
  return (
    <section
      ref={ref}
      className="captions"
      aria-label="Captions"
      aria-live="polite"
      data-testid="captions"
    >
      {captions.map((c) => (
        <p key={c.id} className={`caption caption-${c.speaker}`} data-speaker={c.speaker}>
          <span className="speaker">{c.speaker === 'maya' ? 'Maya' : 'You'}</span> {c.text}
        </p>
      ))}
    </section>
  );
}
