/** Small DOM and fetch helpers of the page. */

/** The element with `id`, checked to be of `type`. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`page: #${id} is missing or not a ${type.name}`);
  return el;
}

/** A new element with a class and text. */
export function make<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text = ""): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className !== "") el.className = className;
  if (text !== "") el.textContent = text;
  return el;
}

/** GET a JSON endpoint; a non-2xx answer throws its `error` message. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: "no-store" });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const message = typeof body === "object" && body !== null && "error" in body ? String(body.error) : res.statusText;
    throw new Error(message);
  }
  return body as T;
}

/** Fill a <select> with options, keeping the current choice when it is still there. */
export function setOptions(select: HTMLSelectElement, options: readonly { value: string; label: string }[], empty: string): void {
  const current = select.value;
  const wanted = options.length > 0 ? options : [{ value: "", label: empty }];
  const same = select.options.length === wanted.length && wanted.every((o, i) => select.options[i]!.value === o.value && select.options[i]!.text === o.label);
  if (same) return;
  select.replaceChildren(...wanted.map((o) => new Option(o.label, o.value)));
  if (options.some((o) => o.value === current)) select.value = current;
}

/**
 * Paint row-major `values` into a canvas of width × height as grey levels,
 * scaled so the smallest value is black and the largest white.
 */
export function paintGrey(canvas: HTMLCanvasElement, values: readonly number[], width: number, height: number): void {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const img = ctx.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const g = Math.round(((values[i] ?? lo) - lo) * scale);
    img.data[4 * i] = g;
    img.data[4 * i + 1] = g;
    img.data[4 * i + 2] = g;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  canvas.dataset.min = String(lo);
  canvas.dataset.max = String(hi);
}
