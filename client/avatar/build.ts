/**
 * Building blocks for the avatar scene: palette, materials, the renderer, lights, the back bar and
 * counter, and the small geometry helpers (bones, the mouth's curve strips).
 */
import * as THREE from 'three';
import { MOUTH_POINTS } from './mouth.ts';

export const COLORS = {
  skin: 0xe9b896,
  skinShade: 0xd99c7a,
  hair: 0x3d2218,
  eyeWhite: 0xf7f3ee,
  iris: 0x5a3520,
  pupil: 0x140c08,
  lash: 0x22130d,
  lips: 0xb4545c,
  mouthInside: 0x3a0f16,
  teeth: 0xf2ede4,
  blush: 0xff6f7d,
  shirt: 0xf4f1ea,
  vest: 0x23222e,
  bowTie: 0x8c1d2f,
  badge: 0xe8a33d,
  steel: 0xc9d1d8,
  counter: 0x4a2c1b,
  counterTop: 0x7a4a2c,
  shelf: 0x2a1b14,
} as const;

/** Lambert shading: it looks the same here as PBR and costs a third of it under SwiftShader. */
export function matte(
  color: number,
  extra: THREE.MeshLambertMaterialParameters = {},
): THREE.MeshLambertMaterial {
  return new THREE.MeshLambertMaterial({ color, ...extra });
}

export function shiny(color: number, shininess: number): THREE.MeshPhongMaterial {
  return new THREE.MeshPhongMaterial({ color, shininess, specular: 0x666666 });
}

export function mesh(
  geometry: THREE.BufferGeometry,
  material: THREE.Material,
  pos?: [number, number, number],
  scale?: [number, number, number],
): THREE.Mesh {
  const m = new THREE.Mesh(geometry, material);
  if (pos) m.position.set(...pos);
  if (scale) m.scale.set(...scale);
  return m;
}

/** Software GL (SwiftShader, llvmpipe): multisampling costs more than it is worth there. */
export function isSoftwareGl(): boolean {
  try {
    const gl =
      document.createElement('canvas').getContext('webgl2') ??
      document.createElement('canvas').getContext('webgl');
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|software|softpipe/i.test(name);
  } catch {
    return false;
  }
}

export function createRenderer(canvas: HTMLCanvasElement, antialias: boolean): THREE.WebGLRenderer {
  const renderer = new THREE.WebGLRenderer({
    canvas,
    antialias,
    alpha: true,
    powerPreference: 'high-performance',
  });
  renderer.setClearColor(0x000000, 0);
  renderer.toneMapping = THREE.ACESFilmicToneMapping;
  renderer.toneMappingExposure = 1.05;
  return renderer;
}

/** Warm key light from the front left, an amber rim from behind, a cool fill: bar lighting. */
export function addLights(scene: THREE.Scene): void {
  scene.add(new THREE.HemisphereLight(0xffeedd, 0x2a1c2e, 1.5));
  const key = new THREE.DirectionalLight(0xfff0df, 2.4);
  key.position.set(-1.2, 2.6, 2.6);
  const rim = new THREE.DirectionalLight(0xe8a33d, 2.2);
  rim.position.set(1.6, 2.4, -1.6);
  const fill = new THREE.DirectionalLight(0x9fb4ff, 0.5);
  fill.position.set(1.6, 1.2, 1.6);
  scene.add(key, rim, fill);
}

const UP = new THREE.Vector3(0, 1, 0);

/** Put a capsule (built along +y, centred) between two joints. */
export function placeBone(bone: THREE.Mesh, from: THREE.Vector3, to: THREE.Vector3): void {
  bone.position.copy(from).add(to).multiplyScalar(0.5);
  bone.quaternion.setFromUnitVectors(UP, to.clone().sub(from).normalize());
}

/** A strip between two curves sharing x: rows `top` and `bottom`, updated in place. */
export class CurveStrip {
  readonly geometry = new THREE.BufferGeometry();
  private readonly positions: Float32Array;
  constructor(readonly z: number) {
    this.positions = new Float32Array(MOUTH_POINTS * 2 * 3);
    const index: number[] = [];
    for (let i = 0; i < MOUTH_POINTS - 1; i++) {
      const a = i,
        b = i + 1,
        c = MOUTH_POINTS + i,
        d = MOUTH_POINTS + i + 1;
      index.push(a, c, b, b, c, d);
    }
    this.geometry.setIndex(index);
    this.geometry.setAttribute('position', new THREE.BufferAttribute(this.positions, 3));
    this.geometry.setAttribute(
      'normal',
      new THREE.BufferAttribute(
        new Float32Array(MOUTH_POINTS * 2 * 3).map((_, i) => (i % 3 === 2 ? 1 : 0)),
        3,
      ),
    );
  }
  update(x: Float32Array, top: Float32Array, bottom: Float32Array): void {
    for (let i = 0; i < MOUTH_POINTS; i++) {
      this.positions.set([x[i]!, top[i]!, this.z], i * 3);
      this.positions.set([x[i]!, bottom[i]!, this.z], (MOUTH_POINTS + i) * 3);
    }
    (this.geometry.getAttribute('position') as THREE.BufferAttribute).needsUpdate = true;
  }
}

/** Back bar: two shelves of softly glowing bottles, with space left clear behind Maya's head. */
export function buildBackBar(): THREE.Group {
  const group = new THREE.Group();
  const shelfMat = matte(COLORS.shelf);
  const shelfGeo = new THREE.BoxGeometry(4.6, 0.025, 0.18);
  const bottleGeo = new THREE.LatheGeometry(
    [
      [0, 0],
      [0.045, 0],
      [0.05, 0.02],
      [0.05, 0.16],
      [0.03, 0.2],
      [0.016, 0.23],
      [0.016, 0.3],
      [0, 0.3],
    ].map(([x, y]) => new THREE.Vector2(x, y)),
    10,
  );
  const bottleColors = [0xe8a33d, 0x6fae6a, 0xb93a3a, 0xd9e4ee, 0x8a5a2b, 0x4f7fbf, 0xe07a2f];
  const bottleMats = bottleColors.map((c) =>
    matte(c, { emissive: c, emissiveIntensity: 0.18, transparent: true, opacity: 0.8 }),
  );
  for (const [row, y] of [
    [0, 1.28],
    [1, 1.78],
  ] as const) {
    group.add(mesh(shelfGeo, shelfMat, [0, y, -1.3]));
    for (let i = 0; i < 22; i++) {
      const x = -2.2 + i * 0.2 + (row ? 0.1 : 0);
      if (Math.abs(x) < 0.28) continue;
      const b = mesh(bottleGeo, bottleMats[(i + row * 3) % bottleMats.length]!, [
        x,
        y + 0.012,
        -1.3,
      ]);
      b.scale.setScalar(0.85 + ((i * 7 + row) % 4) * 0.08);
      group.add(b);
    }
  }
  return group;
}

/** The bar counter in front of Maya, with a brass rail. */
export function buildCounter(): THREE.Group {
  const group = new THREE.Group();
  const counter = mesh(new THREE.BoxGeometry(4, 0.5, 0.5), matte(COLORS.counter), [0, 0.62, 0.45]);
  const top = mesh(
    new THREE.BoxGeometry(4, 0.05, 0.58),
    matte(COLORS.counterTop),
    [0, 0.885, 0.45],
  );
  const rail = mesh(
    new THREE.CylinderGeometry(0.012, 0.012, 4, 8),
    shiny(COLORS.badge, 80),
    [0, 0.86, 0.745],
  );
  rail.rotation.z = Math.PI / 2;
  group.add(counter, top, rail);
  return group;
}
