import type { Emotion } from '../../shared/domain.ts';

/** Mouth and brow shapes per emotion for the placeholder bartender (the 3D avatar replaces it). */
const FACES: Record<Emotion, { mouth: string; brows: [number, number] }> = {
  neutral: { mouth: 'M86 142 Q100 148 114 142', brows: [0, 0] },
  happy: { mouth: 'M82 138 Q100 160 118 138', brows: [-3, -3] },
  flustered: { mouth: 'M88 146 Q100 140 112 146', brows: [-5, 5] },
  thinking: { mouth: 'M90 146 L112 142', brows: [-6, 2] },
  mixing: { mouth: 'M84 140 Q100 154 116 140', brows: [-2, -2] },
  upset: { mouth: 'M84 150 Q100 136 116 150', brows: [6, 6] },
};

export function Stage({ emotion, thinking }: { emotion: Emotion; thinking: boolean }) {
  const face = FACES[emotion];
  return (
    <div className={`stage emotion-${emotion}`} data-testid="stage" data-emotion={emotion}>
      <svg viewBox="0 0 200 260" role="img" aria-label={`Maya the bartender, looking ${emotion}`}>
        <defs>
          <linearGradient id="skin" x1="0" x2="0" y1="0" y2="1">
            <stop offset="0" stopColor="#f2c9a5" />
            <stop offset="1" stopColor="#e0ab85" />
          </linearGradient>
        </defs>
        <path d="M30 260 Q40 190 100 186 Q160 190 170 260 Z" fill="#2b2b3a" />
        <path d="M86 186 L100 214 L114 186 Z" fill="#f4f1ea" />
        <path d="M92 188 L100 200 L108 188 Z" fill="#8c1d2f" />
        <rect x="88" y="160" width="24" height="30" fill="url(#skin)" />
        <ellipse cx="100" cy="110" rx="48" ry="58" fill="url(#skin)" />
        <path
          d="M50 110 Q48 40 100 44 Q152 40 150 110 Q146 70 100 66 Q62 68 50 110 Z"
          fill="#3a2418"
        />
        <g className="brows" stroke="#3a2418" strokeWidth="4" strokeLinecap="round">
          <line x1="70" y1={92 + face.brows[0]} x2="90" y2={90} />
          <line x1="110" y1={90} x2="130" y2={92 + face.brows[1]} />
        </g>
        <g className="eyes" fill="#2a1d16">
          <ellipse cx="80" cy="106" rx="5" ry="6" />
          <ellipse cx="120" cy="106" rx="5" ry="6" />
        </g>
        <path d={face.mouth} stroke="#8c3b3b" strokeWidth="4" fill="none" strokeLinecap="round" />
        {emotion === 'flustered' && (
          <g fill="#e88" opacity="0.5">
            <ellipse cx="72" cy="126" rx="9" ry="5" />
            <ellipse cx="128" cy="126" rx="9" ry="5" />
          </g>
        )}
      </svg>
      {thinking && (
        <div className="thinking-dots" role="status" aria-label="Maya is thinking">
          <span />
          <span />
          <span />
        </div>
      )}
    </div>
  );
}
