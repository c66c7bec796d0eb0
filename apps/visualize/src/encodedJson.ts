/**
 * A JSON answer encoded once and served many times: the bytes, and their
 * gzip for clients that accept it (every browser does). The large answers
 * (the runs index, a long run's metrics) are built once per change and
 * sent to every poll, so compressing them once makes each send a fraction
 * of the bytes at no cost per request.
 */
import { promisify } from "node:util";
import zlib from "node:zlib";

const gzip = promisify(zlib.gzip);

export interface EncodedJson {
  plain: Buffer;
  gzip: Buffer;
}

/** `value` as JSON, plain and gzip'd (fast level: the text is repetitive, the gain is in not compressing per request). */
export async function encodeJson(value: unknown): Promise<EncodedJson> {
  const plain = Buffer.from(JSON.stringify(value));
  return { plain, gzip: await gzip(plain, { level: 1 }) };
}

/** True when the request's Accept-Encoding lists gzip (with a non-zero q). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  return value.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
