/**
 * Draws the app icon and the tray images into resources/ (`npm run icons`). The PNGs are
 * committed; this is how they were made. A key on a teal tile; in the tray a key on a teal
 * disc (grey with an amber dot while the core is not running), and on macOS black template
 * images the menu bar tints (dimmed while not running).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

type Shape = (x: number, y: number) => boolean;
type Rgba = readonly [number, number, number, number];
interface Layer {
  shape: Shape;
  color: Rgba | ((x: number, y: number) => Rgba);
}

const rect = (x0: number, y0: number, x1: number, y1: number): Shape => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const disc = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));
const minus = (a: Shape, b: Shape): Shape => (x, y) => a(x, y) && !b(x, y);
/** The shape drawn into the square (left, top, size) of the unit canvas. */
const placed = (shape: Shape, left: number, top: number, size: number): Shape => (x, y) => shape((x - left) / size, (y - top) / size);

function roundedSquare(inset: number, radius: number): Shape {
  const lo = inset + radius;
  const hi = 1 - inset - radius;
  return (x, y) => {
    const dx = Math.max(lo - x, 0, x - hi);
    const dy = Math.max(lo - y, 0, y - hi);
    return x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset && dx * dx + dy * dy <= radius * radius;
  };
}

/** An upright key in the unit square: bow with a hole, shaft, two bits. */
const KEY: Shape = union(
  minus(disc(0.5, 0.27, 0.22), disc(0.5, 0.27, 0.095)),
  rect(0.43, 0.45, 0.57, 0.95),
  rect(0.57, 0.7, 0.75, 0.79),
  rect(0.57, 0.84, 0.69, 0.93),
);

const TEAL: Rgba = [15, 110, 127, 255];
const TEAL_DARK: Rgba = [8, 72, 88, 255];
const GREY: Rgba = [118, 124, 128, 255];
const AMBER: Rgba = [232, 160, 0, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const BLACK: Rgba = [0, 0, 0, 255];

function render(size: number, layers: Layer[], samples = 4): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const layer of layers) {
        let hits = 0;
        let sample: Rgba = [0, 0, 0, 0];
        for (let sy = 0; sy < samples; sy++) {
          for (let sx = 0; sx < samples; sx++) {
            const x = (px + (sx + 0.5) / samples) / size;
            const y = (py + (sy + 0.5) / samples) / size;
            if (!layer.shape(x, y)) continue;
            hits++;
            sample = typeof layer.color === 'function' ? layer.color(x, y) : layer.color;
          }
        }
        // Source-over compositing of the layer's coverage onto what lies below.
        const alpha = (hits / samples ** 2) * (sample[3] / 255);
        const outA = alpha + a * (1 - alpha);
        if (outA > 0) {
          r = (sample[0] * alpha + r * a * (1 - alpha)) / outA;
          g = (sample[1] * alpha + g * a * (1 - alpha)) / outA;
          b = (sample[2] * alpha + b * a * (1 - alpha)) / outA;
        }
        a = outA;
      }
      const i = (py * size + px) * 4;
      png.data[i] = Math.round(r);
      png.data[i + 1] = Math.round(g);
      png.data[i + 2] = Math.round(b);
      png.data[i + 3] = Math.round(a * 255);
    }
  }
  return PNG.sync.write(png);
}

const gradient = (top: Rgba, bottom: Rgba) => (_x: number, y: number): Rgba =>
  [0, 1, 2, 3].map((c) => (top[c] as number) + ((bottom[c] as number) - (top[c] as number)) * y) as unknown as Rgba;

const appIcon: Layer[] = [
  { shape: roundedSquare(0.09, 0.18), color: gradient(TEAL, TEAL_DARK) },
  { shape: placed(KEY, 0.2, 0.2, 0.6), color: WHITE },
];
const trayKey = placed(KEY, 0.18, 0.14, 0.7);
const trayUp: Layer[] = [
  { shape: disc(0.5, 0.5, 0.5), color: TEAL },
  { shape: trayKey, color: WHITE },
];
const trayDown: Layer[] = [
  { shape: disc(0.5, 0.5, 0.5), color: GREY },
  { shape: trayKey, color: WHITE },
  { shape: disc(0.78, 0.78, 0.22), color: WHITE },
  { shape: disc(0.78, 0.78, 0.16), color: AMBER },
];
const templateKey = placed(KEY, 0.1, 0.04, 0.92);
const templateUp: Layer[] = [{ shape: templateKey, color: BLACK }];
const templateDown: Layer[] = [{ shape: templateKey, color: [0, 0, 0, 110] }];

const resources = join(import.meta.dirname, '..', 'resources');
const trayDir = join(resources, 'tray');
mkdirSync(trayDir, { recursive: true });
writeFileSync(join(resources, 'icon.png'), render(1024, appIcon, 2));
for (const [name, layers] of [
  ['tray', trayUp],
  ['tray-down', trayDown],
  ['trayTemplate', templateUp],
  ['tray-downTemplate', templateDown],
] as const) {
  writeFileSync(join(trayDir, `${name}.png`), render(16, layers, 8));
  writeFileSync(join(trayDir, `${name}@2x.png`), render(32, layers, 8));
}
