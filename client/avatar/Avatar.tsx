/**
 * The bartender on screen. Emotion and speaking state come from the zustand stores only (read inside
 * the render loop with getState(), so the loop never re-renders React); the mouth comes from
 * currentMouth() every frame. Without WebGL the SVG placeholder is shown instead.
 */
import './avatar.css';
import { useEffect, useRef, useState } from 'react';
import { useMaya } from '../store.ts';
import { currentMouth, useSpeechActivity } from '../audio/speechActivity.ts';
import { prefersReducedMotion } from '../a11y/reducedMotion.ts';
import { Stage } from '../stage/Stage.tsx';
import { AvatarScene } from './scene.ts';
import { FrameStats } from './frameStats.ts';
import { ResolutionGovernor } from './resolution.ts';

export const avatarDefaults = {
  /** Device pixel ratio cap: sharper is not worth the fill cost on a 4K kiosk. */
  maxPixelRatio: 1.5,
  /** A frame gap longer than this (tab hidden, debugger) does not fast-forward the animation. */
  maxFrameDtMs: 100,
} as const;

/** What tests and the frame-time measurement read from the page. */
export interface AvatarDebug {
  stats(): ReturnType<FrameStats['summary']>;
  resetStats(): void;
  pixelRatio(): number;
  faceRect(): { x: number; y: number; width: number; height: number };
}

declare global {
  interface Window {
    __mayaAvatar?: AvatarDebug;
  }
}

export function Avatar() {
  const emotion = useMaya((s) => s.state?.emotion ?? 'neutral');
  const thinking = useMaya((s) => s.thinking);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const backdropRef = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let scene: AvatarScene;
    try {
      scene = new AvatarScene(canvas, backdropRef.current);
    } catch {
      setFailed(true);
      return;
    }
    const stats = new FrameStats();
    // `?avatarScale=1` pins the resolution (screenshots, pixel-comparing tests); otherwise it adapts.
    const pinned = Number(new URLSearchParams(location.search).get('avatarScale')) || null;
    const resolution = new ResolutionGovernor(
      Math.min(window.devicePixelRatio || 1, avatarDefaults.maxPixelRatio),
      pinned,
    );
    const resize = () => {
      const rect = canvas.getBoundingClientRect();
      scene.setSize(Math.max(1, rect.width), Math.max(1, rect.height), resolution.ratio);
    };
    resize();
    const observer = new ResizeObserver(resize);
    observer.observe(canvas);

    let reducedMotion = prefersReducedMotion();
    const motionQuery = matchMedia('(prefers-reduced-motion: reduce)');
    const onMotionChange = () => (reducedMotion = motionQuery.matches);
    motionQuery.addEventListener('change', onMotionChange);
    let last = performance.now();
    let frame = 0;
    const loop = (now: number) => {
      frame = requestAnimationFrame(loop);
      const dt = Math.min(avatarDefaults.maxFrameDtMs, Math.max(0, now - last));
      last = now;
      const started = performance.now();
      const maya = useMaya.getState();
      scene.frame(now, dt, {
        // While a guest's turn is on its way, Maya looks thoughtful; the server's emotion follows with the reply.
        emotion: maya.thinking ? 'thinking' : (maya.state?.emotion ?? 'neutral'),
        speaking: useSpeechActivity.getState().speaking,
        mouth: currentMouth(),
        reducedMotion,
      });
      const work = performance.now() - started;
      stats.record(now, work);
      if (resolution.onFrame(now)) resize();
    };
    frame = requestAnimationFrame(loop);
    window.__mayaAvatar = {
      stats: () => stats.summary(),
      resetStats: () => stats.reset(),
      pixelRatio: () => resolution.ratio,
      faceRect: () => {
        const r = scene.faceRect();
        const c = canvas.getBoundingClientRect();
        return { ...r, x: r.x + c.left, y: r.y + c.top };
      },
    };
    const lost = (e: Event) => {
      e.preventDefault();
      setFailed(true);
    };
    canvas.addEventListener('webglcontextlost', lost);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      motionQuery.removeEventListener('change', onMotionChange);
      canvas.removeEventListener('webglcontextlost', lost);
      delete window.__mayaAvatar;
      scene.dispose();
    };
  }, []);

  if (failed) return <Stage emotion={emotion} thinking={thinking} />;
  return (
    <div
      className={`stage avatar emotion-${emotion}`}
      data-testid="stage"
      data-emotion={emotion}
      role="img"
      aria-label={`Maya the bartender, looking ${emotion}`}
    >
      <canvas
        ref={backdropRef}
        className="avatar-canvas backdrop"
        aria-hidden="true"
        tabIndex={-1}
      />
      <canvas ref={canvasRef} className="avatar-canvas" data-testid="avatar-canvas" />
      {thinking && (
        <div className="thinking-dots" aria-hidden="true">
          <span />
          <span />
          <span />
        </div>
      )}
    </div>
  );
}
