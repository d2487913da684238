/**
 * Maya in three.js, built from primitives in code (nothing is loaded at run time): head, hair,
 * eyes that blink and glance, brows, a mouth with lips and teeth, neck, shirt-and-vest shoulders,
 * a bow tie, and a hand with a cocktail shaker for "mixing". A small back bar and counter frame her.
 * Low polygon counts and no shadows keep it at 60 fps on a laptop and usable under SwiftShader.
 */
import * as THREE from 'three';
import type { Emotion } from '../../shared/domain.ts';
import type { MouthShape } from '../audio/speechActivity.ts';
import {
  EXPRESSIONS,
  approachExpression,
  copyExpression,
  expressionDefaults,
} from './expressions.ts';
import type { Expression } from './expressions.ts';
import { IdleMotion } from './idle.ts';
import { computeMouthCurves, createMouthCurves } from './mouth.ts';
import { visemeShape } from './lipsync.ts';
import {
  COLORS,
  CurveStrip,
  addLights,
  buildBackBar,
  buildCounter,
  createRenderer,
  isSoftwareGl,
  matte,
  mesh,
  placeBone,
  shiny,
} from './build.ts';

export interface AvatarFrameInput {
  emotion: Emotion;
  speaking: boolean;
  mouth: MouthShape;
  reducedMotion: boolean;
}

const avatarDims = {
  neckTopY: 1.43,
  /** Stylised proportions: a slightly large head reads better from across the bar. */
  headSize: 1.14,
  headCentreY: 0.17,
  headScale: new THREE.Vector3(0.17, 0.205, 0.18),
  eyeX: 0.062,
  eyeY: 0.19,
  eyeZ: 0.156,
  browY: 0.262,
  mouthY: 0.078,
  mouthZ: 0.163,
  mouthWidth: 0.075,
  /** The right arm: shoulder joint, bone lengths, and the hand at rest (hanging) and mixing (raised). */
  rightShoulder: new THREE.Vector3(0.235, 1.245, 0),
  upperArmLength: 0.3,
  forearmLength: 0.29,
  /** Which way the elbow points: out, down and a little back. */
  elbowPole: new THREE.Vector3(0.7, -1, -0.25),
  shakerRest: new THREE.Vector3(0.31, 0.57, 0),
  shakerActive: new THREE.Vector3(0.33, 1.36, 0.26),
  shakeHz: 3.4,
} as const;

interface Eye {
  group: THREE.Group;
  iris: THREE.Group;
}

export class AvatarScene {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera = new THREE.PerspectiveCamera(24, 1, 0.1, 20);
  private readonly root = new THREE.Group();
  private readonly body = new THREE.Group();
  private readonly head = new THREE.Group();
  private readonly eyes: Eye[] = [];
  private readonly brows: THREE.Mesh[] = [];
  private readonly blush: THREE.Mesh[] = [];
  private readonly blushMaterial = new THREE.MeshBasicMaterial({
    color: COLORS.blush,
    transparent: true,
    opacity: 0,
    depthWrite: false,
  });
  private readonly mouthCurves = createMouthCurves();
  private readonly lips = new CurveStrip(0);
  private readonly cavity = new CurveStrip(0.0012);
  private readonly teeth = new CurveStrip(0.0018);
  private readonly shaker = new THREE.Group();
  private readonly shakerBody = new THREE.Group();
  private upperArm!: THREE.Mesh;
  private forearm!: THREE.Mesh;
  private readonly joints = {
    shoulder: new THREE.Vector3(),
    elbow: new THREE.Vector3(),
    hand: new THREE.Vector3(),
  };
  private readonly expression: Expression = copyExpression(EXPRESSIONS.neutral);
  private readonly idle: IdleMotion;
  private mouthOpen = 0;
  private mouthWidth = 1;
  private readonly disposables: { dispose(): void }[] = [];
  /**
   * The back bar never moves, so with a second canvas it is drawn once per resize behind Maya
   * instead of every frame (it is ~40 % of the fill cost under SwiftShader).
   */
  private readonly backdrop: { renderer: THREE.WebGLRenderer; scene: THREE.Scene } | null;

  constructor(
    canvas: HTMLCanvasElement,
    backdropCanvas: HTMLCanvasElement | null = null,
    random: () => number = Math.random,
  ) {
    this.renderer = createRenderer(canvas, !isSoftwareGl());
    // Drawn once per resize, so it can always afford smooth edges.
    this.backdrop = backdropCanvas
      ? { renderer: createRenderer(backdropCanvas, true), scene: new THREE.Scene() }
      : null;
    this.idle = new IdleMotion(random, performance.now());
    this.scene.add(this.root);
    const backScene = this.backdrop?.scene ?? this.scene;
    for (const scene of new Set([this.scene, backScene])) {
      scene.fog = new THREE.Fog(0x1a1322, 2.9, 6);
      addLights(scene);
    }
    backScene.add(buildBackBar());
    // The counter stays in front: it hides Maya's lower arms and the hand that brings up the shaker.
    this.root.add(buildCounter());
    this.buildBody();
    this.buildHead();
    this.buildShaker();
    for (const scene of new Set([this.scene, backScene])) {
      scene.traverse((o) => {
        if (o instanceof THREE.Mesh)
          this.disposables.push(o.geometry, o.material as THREE.Material);
      });
    }
  }

  private buildBody(): void {
    const shirt = matte(COLORS.shirt);
    const vest = matte(COLORS.vest);
    const torso = mesh(
      new THREE.CylinderGeometry(0.2, 0.165, 0.62, 24),
      vest,
      [0, 1.0, 0],
      [1, 1, 0.58],
    );
    const chest = new THREE.Shape();
    chest.moveTo(-0.075, 0.0);
    chest.lineTo(0.075, 0.0);
    chest.lineTo(0, -0.2);
    chest.closePath();
    const shirtFront = mesh(new THREE.ShapeGeometry(chest), shirt, [0, 1.305, 0.118]);
    shirtFront.rotation.x = -0.08;
    const sleeveGeo = new THREE.CapsuleGeometry(0.066, 0.34, 6, 14);
    const shoulderGeo = new THREE.SphereGeometry(0.09, 18, 12);
    for (const s of [-1, 1])
      this.body.add(mesh(shoulderGeo, shirt, [s * 0.2, 1.265, 0], [1.2, 0.62, 0.8]));
    // The left arm hangs still; the right one is jointed (see placeRightArm) to bring up the shaker.
    const leftArm = mesh(sleeveGeo, shirt, [-0.275, 1.06, -0.01]);
    leftArm.rotation.z = -0.12;
    this.body.add(leftArm);
    // The neck sits in the chin's shadow.
    const neck = mesh(
      new THREE.CylinderGeometry(0.052, 0.06, 0.17, 16),
      matte(COLORS.skinShade),
      [0, 1.39, -0.005],
    );
    const collarGeo = new THREE.ConeGeometry(0.035, 0.05, 3);
    for (const s of [-1, 1]) {
      const collar = mesh(collarGeo, shirt, [s * 0.035, 1.318, 0.1]);
      collar.rotation.set(0.4, 0, s * 2.4);
      this.body.add(collar);
    }
    const bowMat = matte(COLORS.bowTie);
    const wingGeo = new THREE.ConeGeometry(0.024, 0.045, 12);
    for (const s of [-1, 1]) {
      const wing = mesh(wingGeo, bowMat, [s * 0.022, 1.305, 0.125], [1, 1, 0.5]);
      wing.rotation.z = s * (Math.PI / 2);
      this.body.add(wing);
    }
    const knot = mesh(new THREE.SphereGeometry(0.012, 10, 8), bowMat, [0, 1.305, 0.128]);
    const badge = mesh(
      new THREE.BoxGeometry(0.055, 0.016, 0.004),
      shiny(COLORS.badge, 60),
      [-0.1, 1.17, 0.112],
    );
    badge.rotation.y = -0.25;
    this.body.add(torso, shirtFront, neck, knot, badge);
    this.root.add(this.body);
  }

  private buildHead(): void {
    const d = avatarDims;
    this.head.position.set(0, d.neckTopY, 0);
    this.head.scale.setScalar(avatarDims.headSize);
    const skin = matte(COLORS.skin);
    const hair = matte(COLORS.hair);
    const headMesh = mesh(new THREE.SphereGeometry(1, 40, 30), skin, [0, d.headCentreY, 0]);
    headMesh.scale.copy(d.headScale);
    // Hair: a cap over the top, volume behind the face, a swept fringe and a bun.
    const cap = mesh(
      new THREE.SphereGeometry(1, 36, 18, 0, Math.PI * 2, 0, Math.PI * 0.31),
      hair,
      [0, d.headCentreY + 0.014, -0.004],
      [0.182, 0.215, 0.19],
    );
    const back = mesh(
      new THREE.SphereGeometry(1, 28, 20),
      hair,
      [0, d.headCentreY - 0.025, -0.045],
      [0.2, 0.225, 0.175],
    );
    cap.rotation.z = 0.12; // a side parting: the hairline dips towards Maya's right
    const fringe = mesh(
      new THREE.SphereGeometry(1, 24, 14),
      hair,
      [-0.055, d.headCentreY + 0.15, 0.1],
      [0.085, 0.03, 0.06],
    );
    fringe.rotation.set(0.55, 0.3, 0.45);
    const bun = mesh(new THREE.SphereGeometry(0.075, 20, 14), hair, [
      0,
      d.headCentreY + 0.16,
      -0.12,
    ]);
    const nose = mesh(
      new THREE.SphereGeometry(0.018, 14, 10),
      matte(COLORS.skinShade),
      [0, d.headCentreY - 0.012, 0.183],
      [0.9, 1.25, 1],
    );
    this.head.add(headMesh, cap, back, fringe, bun, nose);

    const white = shiny(COLORS.eyeWhite, 40);
    const irisMat = new THREE.MeshBasicMaterial({ color: COLORS.iris });
    const pupilMat = new THREE.MeshBasicMaterial({ color: COLORS.pupil });
    const glintMat = new THREE.MeshBasicMaterial({ color: 0xffffff });
    const lashMat = new THREE.MeshBasicMaterial({ color: COLORS.lash });
    const eyeGeo = new THREE.SphereGeometry(0.034, 20, 14);
    const irisGeo = new THREE.CircleGeometry(0.0215, 20);
    const pupilGeo = new THREE.CircleGeometry(0.0105, 16);
    const glintGeo = new THREE.CircleGeometry(0.005, 10);
    // Upper lash line: an arc hugging the top of the eye; it follows the eye's scale when blinking.
    const lashGeo = new THREE.TorusGeometry(0.034, 0.0032, 4, 16, Math.PI * 0.8);
    const browGeo = new THREE.CapsuleGeometry(0.0078, 0.05, 3, 8);
    const browMat = matte(COLORS.hair);
    for (const s of [-1, 1]) {
      const group = new THREE.Group();
      group.position.set(s * d.eyeX, d.eyeY, d.eyeZ);
      group.add(mesh(eyeGeo, white, [0, 0, 0], [1, 1.1, 0.45]));
      const iris = new THREE.Group();
      iris.position.z = 0.0158;
      iris.add(
        mesh(irisGeo, irisMat),
        mesh(pupilGeo, pupilMat, [0, 0, 0.0004]),
        mesh(glintGeo, glintMat, [0.0065, 0.0075, 0.0008]),
      );
      group.add(iris);
      const lash = mesh(lashGeo, lashMat, [0, 0.002, 0.006], [1.05, 1.1, 1]);
      lash.rotation.z = Math.PI * 0.1;
      group.add(lash);
      this.head.add(group);
      this.eyes.push({ group, iris });

      const brow = mesh(browGeo, browMat, [s * 0.066, d.browY, 0.158]);
      brow.rotation.z = Math.PI / 2;
      this.head.add(brow);
      this.brows.push(brow);

      const cheek = mesh(new THREE.CircleGeometry(0.028, 20), this.blushMaterial, [
        s * 0.098,
        d.headCentreY - 0.055,
        0.146,
      ]);
      cheek.rotation.y = s * 0.55;
      this.head.add(cheek);
      this.blush.push(cheek);
    }

    const mouth = new THREE.Group();
    mouth.position.set(0, d.mouthY, d.mouthZ);
    mouth.rotation.x = 0.38;
    const lipsMesh = new THREE.Mesh(
      this.lips.geometry,
      matte(COLORS.lips, { side: THREE.DoubleSide }),
    );
    const cavityMesh = new THREE.Mesh(
      this.cavity.geometry,
      new THREE.MeshBasicMaterial({ color: COLORS.mouthInside, side: THREE.DoubleSide }),
    );
    const teethMesh = new THREE.Mesh(
      this.teeth.geometry,
      new THREE.MeshBasicMaterial({ color: COLORS.teeth, side: THREE.DoubleSide }),
    );
    for (const m of [lipsMesh, cavityMesh, teethMesh]) m.frustumCulled = false;
    mouth.add(lipsMesh, cavityMesh, teethMesh);
    this.head.add(mouth);
    this.root.add(this.head);
  }

  private buildShaker(): void {
    const steel = shiny(COLORS.steel, 90);
    const body = mesh(new THREE.CylinderGeometry(0.034, 0.028, 0.13, 20), steel, [0, 0.06, 0]);
    const cap = mesh(new THREE.CylinderGeometry(0.02, 0.034, 0.045, 20), steel, [0, 0.147, 0]);
    const top = mesh(new THREE.SphereGeometry(0.02, 12, 8), steel, [0, 0.17, 0]);
    const hand = mesh(
      new THREE.SphereGeometry(0.042, 16, 12),
      matte(COLORS.skin),
      [0.006, 0.045, 0.01],
      [1, 1.2, 0.85],
    );
    this.shakerBody.add(body, cap, top);
    this.shaker.add(this.shakerBody, hand);
    this.shaker.position.copy(avatarDims.shakerRest);
    const sleeve = matte(COLORS.shirt);
    this.upperArm = mesh(
      new THREE.CapsuleGeometry(0.064, avatarDims.upperArmLength, 6, 14),
      sleeve,
    );
    this.forearm = mesh(new THREE.CapsuleGeometry(0.05, avatarDims.forearmLength, 6, 12), sleeve);
    this.root.add(this.shaker, this.upperArm, this.forearm);
  }

  setSize(width: number, height: number, pixelRatio: number): void {
    for (const renderer of this.backdrop
      ? [this.renderer, this.backdrop.renderer]
      : [this.renderer]) {
      renderer.setPixelRatio(pixelRatio);
      renderer.setSize(width, height, false);
    }
    const aspect = width / Math.max(1, height);
    this.camera.aspect = aspect;
    // Keep head and shoulders in frame on a portrait kiosk screen: widen the lens when narrow.
    this.camera.fov = aspect < 0.9 ? 24 * Math.min(1.8, 0.9 / aspect) : 24;
    this.camera.position.set(0, 1.49, 2.65);
    this.camera.lookAt(0, 1.4, 0);
    this.camera.updateProjectionMatrix();
    this.backdrop?.renderer.render(this.backdrop.scene, this.camera);
  }

  /** Advance the animation to `nowMs` (dtMs since the last frame) and draw. */
  frame(nowMs: number, dtMs: number, input: AvatarFrameInput): void {
    const e = approachExpression(
      this.expression,
      EXPRESSIONS[input.emotion],
      dtMs,
      input.reducedMotion
        ? expressionDefaults.reducedMotionTauMs
        : expressionDefaults.transitionTauMs,
    );
    const motion = input.reducedMotion ? 0 : 1;
    const idle = input.reducedMotion
      ? { blink: 0, glanceX: 0, glanceY: 0, breath: 0 }
      : this.idle.sample(nowMs);
    const t = nowMs / 1000;

    // Speech drives the jaw only while Maya is speaking: barge-in (speaking=false) closes it at once.
    const speechOpen = input.speaking ? Math.min(1, Math.max(0, input.mouth.open)) : 0;
    const k = 1 - Math.exp(-dtMs / 35);
    this.mouthOpen += (speechOpen - this.mouthOpen) * k;
    const targetWidth =
      input.speaking && input.mouth.viseme ? visemeShape(input.mouth.viseme).width : 1;
    this.mouthWidth += (targetWidth - this.mouthWidth) * k;

    // Breathing lifts the shoulders a little; the head rides on top.
    const breath = idle.breath * 0.006 * motion;
    this.body.position.y = breath;
    this.body.scale.set(1 + breath * 0.6, 1, 1 + breath);
    this.head.position.y = avatarDims.neckTopY + breath * 1.2;
    const sway = motion * (Math.sin(t * 0.7) * 0.025 + Math.sin(t * 1.3 + 1) * 0.012);
    const talkNod = motion * this.mouthOpen * Math.sin(t * 7) * 0.015;
    this.head.rotation.set(
      e.headPitch + talkNod + motion * Math.sin(t * 0.5) * 0.01,
      e.headTurn + sway,
      e.headTilt + motion * Math.sin(t * 0.9) * 0.012,
    );

    // Eyes: openness × blink; gaze from the emotion plus idle glances (held on the guest while speaking).
    const eyeScaleY = Math.max(0.07, Math.min(1.2, e.eyeOpen) * (1 - idle.blink));
    const gazeX = e.gazeX * (input.speaking ? 0.5 : 1) + idle.glanceX;
    const gazeY = e.gazeY * (input.speaking ? 0.5 : 1) + idle.glanceY;
    for (const eye of this.eyes) {
      eye.group.scale.y = eyeScaleY;
      eye.iris.position.x = gazeX * 0.011;
      eye.iris.position.y = gazeY * 0.012;
    }

    this.brows.forEach((brow, i) => {
      const s = i === 0 ? -1 : 1;
      const lift =
        e.browLift * 0.016 +
        (s === 1 ? e.browAsym * 0.014 : 0) +
        (1 - Math.min(1, eyeScaleY)) * -0.004;
      brow.position.y =
        avatarDims.browY + lift + Math.abs(e.browInner) * 0.004 * Math.sign(e.browInner);
      // Positive browInner raises the inner ends (worried), negative pulls them down (angry).
      brow.rotation.z = Math.PI / 2 - s * e.browInner * 0.32 + (s === 1 ? e.browAsym * 0.12 : 0);
    });
    this.blushMaterial.opacity = Math.max(0, e.blush) * 0.5;

    const curves = computeMouthCurves(
      {
        width: avatarDims.mouthWidth * e.mouthWidth * this.mouthWidth,
        smile: e.smile * (1 - this.mouthOpen * 0.35),
        open: Math.min(1, e.mouthOpen + this.mouthOpen),
        skew: e.mouthSkew,
      },
      this.mouthCurves,
    );
    this.lips.update(curves.x, curves.outerUpper, curves.outerLower);
    this.cavity.update(curves.x, curves.innerUpper, curves.innerLower);
    this.teeth.update(curves.x, curves.innerUpper, curves.teethLower);

    // Mixing: the hand with the shaker rises beside the shoulder and shakes.
    const s = Math.max(0, Math.min(1, e.shaker));
    this.shaker.position.lerpVectors(
      avatarDims.shakerRest,
      avatarDims.shakerActive,
      s * s * (3 - 2 * s),
    );
    const shake = Math.sin(t * Math.PI * 2 * avatarDims.shakeHz) * s * motion;
    this.shaker.position.y += shake * 0.035;
    this.shaker.rotation.z = 0.35 * s + shake * 0.18;
    this.shakerBody.visible = s > 0.05;
    this.placeRightArm(breath);

    this.renderer.render(this.scene, this.camera);
  }

  /** Two-bone arm from the shoulder to the hand holding the shaker (law of cosines, elbow towards the pole). */
  private placeRightArm(breath: number): void {
    const d = avatarDims;
    const { shoulder, elbow, hand } = this.joints;
    shoulder.copy(d.rightShoulder).setY(d.rightShoulder.y + breath);
    hand.copy(this.shaker.position);
    const toHand = hand.clone().sub(shoulder);
    const l1 = d.upperArmLength + 0.064;
    const l2 = d.forearmLength + 0.05;
    const dist = THREE.MathUtils.clamp(toHand.length(), Math.abs(l1 - l2) + 1e-3, l1 + l2 - 1e-3);
    const dir = toHand.normalize();
    const along = (l1 * l1 - l2 * l2 + dist * dist) / (2 * dist);
    const out = Math.sqrt(Math.max(0, l1 * l1 - along * along));
    const pole = d.elbowPole
      .clone()
      .sub(dir.clone().multiplyScalar(d.elbowPole.dot(dir)))
      .normalize();
    elbow.copy(shoulder).addScaledVector(dir, along).addScaledVector(pole, out);
    placeBone(this.upperArm, shoulder, elbow);
    placeBone(this.forearm, elbow, hand);
  }

  /** The head's bounding box on screen, in CSS pixels relative to the canvas (for tests and captions). */
  faceRect(): { x: number; y: number; width: number; height: number } {
    const canvas = this.renderer.domElement;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    const centre = new THREE.Vector3(0, avatarDims.headCentreY, 0.05);
    this.head.localToWorld(centre);
    const r = avatarDims.headSize;
    const top = centre
      .clone()
      .add(new THREE.Vector3(0, 0.25 * r, 0))
      .project(this.camera);
    const bottom = centre
      .clone()
      .add(new THREE.Vector3(0, -0.22 * r, 0))
      .project(this.camera);
    const left = centre
      .clone()
      .add(new THREE.Vector3(-0.21 * r, 0, 0))
      .project(this.camera);
    const right = centre
      .clone()
      .add(new THREE.Vector3(0.21 * r, 0, 0))
      .project(this.camera);
    const px = (v: THREE.Vector3) => ({ x: ((v.x + 1) / 2) * w, y: ((1 - v.y) / 2) * h });
    const a = px(left),
      b = px(right),
      c = px(top),
      d = px(bottom);
    return { x: a.x, y: c.y, width: b.x - a.x, height: d.y - c.y };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.blushMaterial.dispose();
    this.renderer.dispose();
    this.backdrop?.renderer.dispose();
  }
}
