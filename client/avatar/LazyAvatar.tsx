/**
 * The avatar's code (three.js is most of the bundle) loads as its own chunk: the tab, captions and
 * text box are usable at once, with the drawn bartender standing in for the moment it takes.
 */
import { Suspense, lazy } from 'react';
import { useMaya } from '../store.ts';
import { Stage } from '../stage/Stage.tsx';

const Avatar = lazy(() => import('./Avatar.tsx').then((m) => ({ default: m.Avatar })));

export function LazyAvatar() {
  const emotion = useMaya((s) => s.state?.emotion ?? 'neutral');
  const thinking = useMaya((s) => s.thinking);
  return (
    <Suspense fallback={<Stage emotion={emotion} thinking={thinking} />}>
      <Avatar />
    </Suspense>
  );
}
