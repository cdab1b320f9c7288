/**
 * The drawing pad of <quant-inference>: a canvas the reader draws a digit on with a mouse, a finger,
 * a pen or the keyboard. While ink goes down the drawing is turned into an MNIST-like input
 * (`toMnist`) at most once per animation frame and handed to `onInput`, so both models' bars
 * follow the pen live; Clear (or Delete) empties it.
 */
import { html, type ReactiveController, type ReactiveElement, type TemplateResult } from 'lit';
import { readTokens } from '../../internal/colors.js';
import { styleProps } from '../../internal/style-props.js';
import { toMnist } from '../../models/digit-preprocess.js';

/** The pad's size in canvas pixels (10 per MNIST pixel). */
export const PAD = 280;
const LINE_WIDTH = 18;
/** One arrow-key step: about one MNIST pixel after the 20×20 scaling of a typical digit. */
const KEY_STEP = 14;
const FAST_STEP = 4 * KEY_STEP;

type Point = { x: number; y: number };

export interface PadOptions {
  /** The drawing as network input (784 values), or null when the pad is empty. */
  onInput: (x: Float32Array | null) => void;
  /** A stroke ended (pointer up, pen lifted): the moment to announce the reading. */
  onStrokeEnd: () => void;
}

export class DrawingPad implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #onInput: PadOptions['onInput'];
  readonly #onStrokeEnd: PadOptions['onStrokeEnd'];
  /** The pointer's last point while a stroke is drawn. */
  #stroke: Point | null = null;
  /** The keyboard pen: where it is, and whether it is down (drawing as it moves). */
  #cursor: Point = { x: PAD / 2, y: PAD / 4 };
  #penDown = false;
  #keyboard = false;
  #frame = 0;

  constructor(host: ReactiveElement, options: PadOptions) {
    this.#host = host;
    this.#onInput = options.onInput;
    this.#onStrokeEnd = options.onStrokeEnd;
    host.addController(this);
  }

  hostDisconnected(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#stroke = null;
    this.#penDown = false;
  }

  get #canvas(): HTMLCanvasElement | null {
    return this.#host.renderRoot.querySelector<HTMLCanvasElement>('canvas.pad');
  }

  /** The canvas's context; read back every frame while drawing, so kept in memory (CPU). */
  #context(): CanvasRenderingContext2D | null {
    return this.#canvas?.getContext('2d', { willReadFrequently: true }) ?? null;
  }

  /** Empties the pad (the Clear button, Delete, a new model). */
  clear(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#context()?.clearRect(0, 0, PAD, PAD);
    this.#penDown = false;
    this.#host.requestUpdate();
    this.#onInput(null);
  }

  #line(from: Point, to: Point): void {
    const ctx = this.#context();
    if (!ctx) return;
    ctx.strokeStyle = readTokens(this.#host, { fg: ['--_fg', '#1c2128'] }).fg;
    ctx.lineWidth = LINE_WIDTH;
    ctx.lineCap = ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    this.#schedule();
  }

  /** Reads the drawing on the next animation frame (once however many segments came before it). */
  #schedule(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#read();
    });
  }

  #read(): void {
    const ctx = this.#context();
    if (!ctx) return;
    const rgba = ctx.getImageData(0, 0, PAD, PAD).data;
    const ink = new Float32Array(PAD * PAD);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3] / 255;
    this.#onInput(toMnist(ink, PAD, PAD));
  }

  #point(e: PointerEvent): Point {
    const box = (e.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    return { x: ((e.clientX - box.left) / box.width) * PAD, y: ((e.clientY - box.top) / box.height) * PAD };
  }

  readonly #down = (e: PointerEvent) => {
    if (e.button > 0) return;
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    this.#stroke = this.#point(e);
    this.#line(this.#stroke, this.#stroke);
  };

  readonly #move = (e: PointerEvent) => {
    if (!this.#stroke) return;
    const p = this.#point(e);
    this.#line(this.#stroke, p);
    this.#stroke = p;
  };

  readonly #up = () => {
    if (!this.#stroke) return;
    this.#stroke = null;
    this.#end();
  };

  /** A stroke ended: the last segments are read now (not on the next frame), then reported. */
  #end(): void {
    if (this.#frame) {
      cancelAnimationFrame(this.#frame);
      this.#frame = 0;
      this.#read();
    }
    this.#onStrokeEnd();
  }

  readonly #key = (e: KeyboardEvent) => {
    const step = e.shiftKey ? FAST_STEP : KEY_STEP;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
    };
    const from = this.#cursor;
    if (e.key in moves) {
      const [dx, dy] = moves[e.key];
      const clamp = (v: number) => Math.min(Math.max(v, 0), PAD);
      this.#cursor = { x: clamp(from.x + dx), y: clamp(from.y + dy) };
      if (this.#penDown) this.#line(from, this.#cursor);
    } else if (e.key === ' ' || e.key === 'Enter') {
      this.#penDown = !this.#penDown;
      if (this.#penDown) this.#line(from, from);
      else this.#end();
    } else if (e.key === 'Escape' && this.#penDown) {
      this.#penDown = false;
      this.#end();
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      this.clear();
    } else {
      return;
    }
    e.preventDefault();
    this.#keyboard = true;
    this.#host.requestUpdate();
  };

  readonly #blur = () => {
    this.#keyboard = false;
    if (this.#penDown) this.#end();
    this.#penDown = false;
    this.#host.requestUpdate();
  };

  /**
   * The canvas, the keyboard pen's marker and the Clear button; `named` names them after the host
   * ("Digits: Clear").
   */
  render(named: (name: string) => string = (name) => name): TemplateResult {
    const { x, y } = this.#cursor;
    return html`<div class="pad-box">
      <div class="pad-frame">
        <canvas
          class="pad"
          width=${PAD}
          height=${PAD}
          tabindex="0"
          role="application"
          aria-roledescription="drawing pad"
          aria-label=${named('Drawing pad: draw a digit; both models classify it as you draw')}
          aria-describedby="pad-keys"
          @pointerdown=${this.#down}
          @pointermove=${this.#move}
          @pointerup=${this.#up}
          @pointercancel=${this.#up}
          @keydown=${this.#key}
          @blur=${this.#blur}
        ></canvas>
        <span
          class="pad-cursor"
          ?hidden=${!this.#keyboard}
          data-pen=${this.#penDown ? 'down' : 'up'}
          aria-hidden="true"
          ${styleProps({ left: `${(x / PAD) * 100}%`, top: `${(y / PAD) * 100}%` })}
        ></span>
      </div>
      <p id="pad-keys" class="hint">
        Keyboard: Space puts the pen down or lifts it, arrows move it (Shift: faster), Delete clears.
      </p>
      <button class="secondary" aria-label=${named('Clear')} @click=${() => this.clear()}>Clear</button>
    </div>`;
  }
}
