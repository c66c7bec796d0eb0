/** Small drawing helpers for the pages: DOM building, heatmaps, curves, digits. */

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

export function canvas(width: number, height: number, scale = 1): HTMLCanvasElement {
  const c = el("canvas", { width: String(width), height: String(height) });
  c.style.width = `${width * scale}px`;
  c.style.height = `${height * scale}px`;
  return c;
}

/** Blue (0) → white (0.5) → orange (1). */
function diverging(v: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, v));
  return t < 0.5 ? [Math.round(60 + 390 * t), Math.round(120 + 270 * t), 255] : [255, Math.round(255 - 200 * (t - 0.5)), Math.round(255 - 460 * (t - 0.5))];
}

/**
 * Draws `values` (side × side, row y = 0 first, each in [0, 1]) on `c`
 * with y pointing up, as a plot of the unit square.
 */
export function heatmap(c: HTMLCanvasElement, values: ArrayLike<number>, side: number, gray = false): void {
  const ctx = c.getContext("2d")!;
  const image = ctx.createImageData(side, side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = values[y * side + x]!;
      const [r, g, b] = gray ? [255 - 255 * v, 255 - 255 * v, 255 - 255 * v] : diverging(v);
      const o = ((side - 1 - y) * side + x) * 4;
      image.data.set([r, g, b, 255], o);
    }
  }
  const off = document.createElement("canvas");
  off.width = side;
  off.height = side;
  off.getContext("2d")!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, c.width, c.height);
}

/** Points in the unit square on top of a heatmap: class 1 orange, class 0 blue. */
export function points(c: HTMLCanvasElement, xy: ReadonlyArray<readonly [number, number]>, labels: readonly number[]): void {
  const ctx = c.getContext("2d")!;
  xy.forEach(([x, y], i) => {
    ctx.beginPath();
    ctx.arc(x * c.width, (1 - y) * c.height, 4, 0, 2 * Math.PI);
    ctx.fillStyle = labels[i] === 1 ? "#e65100" : "#0d47a1";
    ctx.strokeStyle = "#fff";
    ctx.fill();
    ctx.stroke();
  });
}

/** A digit (28 × 28 bytes) or a feature map (28 × 28 values scaled to their range). */
export function image28(values: ArrayLike<number>, scale: number): HTMLCanvasElement {
  const c = canvas(28, 28, scale);
  const ctx = c.getContext("2d")!;
  const image = ctx.createImageData(28, 28);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < 784; i++) {
    lo = Math.min(lo, values[i]!);
    hi = Math.max(hi, values[i]!);
  }
  const span = hi > lo ? hi - lo : 1;
  for (let i = 0; i < 784; i++) {
    const v = 255 - Math.round((255 * (values[i]! - lo)) / span);
    image.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
  return c;
}

/** A line chart of `ys` (one series) with its range written at the left. */
export function curve(c: HTMLCanvasElement, ys: readonly number[], label: string, color = "#1565c0"): void {
  const ctx = c.getContext("2d")!;
  ctx.clearRect(0, 0, c.width, c.height);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.fillStyle = "#555";
  ctx.font = "11px sans-serif";
  ctx.fillText(label, 40, 12);
  if (ys.length === 0) return;
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const span = hi > lo ? hi - lo : 1;
  ctx.fillText(hi.toPrecision(3), 2, 12);
  ctx.fillText(lo.toPrecision(3), 2, c.height - 4);
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ys.forEach((y, i) => {
    const px = 38 + ((c.width - 42) * i) / Math.max(1, ys.length - 1);
    const py = 16 + (c.height - 24) * (1 - (y - lo) / span);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  });
  ctx.stroke();
}

/** A bar chart of `values` with the largest bar highlighted. */
export function bars(values: ArrayLike<number>, width: number, height: number): HTMLCanvasElement {
  const c = canvas(width, height);
  const ctx = c.getContext("2d")!;
  const n = values.length;
  let top = 0;
  let best = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(values[i]!) > top) top = Math.abs(values[i]!);
    if (values[i]! > values[best]!) best = i;
  }
  const w = width / n;
  for (let i = 0; i < n; i++) {
    const h = top > 0 ? ((height - 14) * Math.abs(values[i]!)) / top : 0;
    ctx.fillStyle = i === best ? "#e65100" : "#90a4ae";
    ctx.fillRect(i * w + 1, height - 12 - h, Math.max(1, w - 2), h);
    if (n <= 10) {
      ctx.fillStyle = "#333";
      ctx.font = "10px sans-serif";
      ctx.fillText(String(i), i * w + w / 2 - 3, height - 1);
    }
  }
  return c;
}
