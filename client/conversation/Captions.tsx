import type { Caption } from '../store.ts';

export function Captions({ captions }: { captions: Caption[] }) {
  return (
    <section className="captions" aria-label="Captions" aria-live="polite" data-testid="captions">
      {captions.map((c) => (
        <p key={c.id} className={`caption caption-${c.speaker}`} data-speaker={c.speaker}>
          <span className="speaker">{c.speaker === 'maya' ? 'Maya' : 'You'}</span> {c.text}
        </p>
      ))}
    </section>
  );
}
