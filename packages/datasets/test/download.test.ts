import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadFile } from "../src/index.js";
import { deadUrl, isolateCache, removeTempDirs, startServer, tempDir, type TestServer } from "./helpers.js";

isolateCache();

const body = Buffer.from("the payload ".repeat(1000));
const sum = createHash("sha256").update(body).digest("hex");
let server: TestServer;

beforeAll(async () => {
  server = await startServer({
    "/file.bin": body,
    "/moved": (_req, res) => res.writeHead(302, { location: "/file.bin" }).end(),
    "/cut": (_req, res) => {
      res.writeHead(200, { "content-length": body.length });
      res.write(body.subarray(0, 100));
      setTimeout(() => res.destroy(), 20);
    },
  });
});
afterAll(async () => {
  await server.close();
  removeTempDirs();
});

describe("datasets download", () => {
  it("downloads, verifies the sha256 and leaves no temporary file", async () => {
    const dir = tempDir();
    const dest = join(dir, "sub", "file.bin");
    const result = await downloadFile(`${server.url}/file.bin`, dest, { sha256: sum, progress: false });
    expect(result).toEqual({ path: dest, bytes: body.length, sha256: sum });
    expect(readFileSync(dest)).toEqual(body);
    expect(readdirSync(join(dir, "sub"))).toEqual(["file.bin"]);
  });

  it("follows redirects", async () => {
    const dest = join(tempDir(), "file.bin");
    await downloadFile(`${server.url}/moved`, dest, { sha256: sum, progress: false });
    expect(readFileSync(dest)).toEqual(body);
  });

  it("a checksum mismatch keeps the good cached file", async () => {
    const dir = tempDir();
    const dest = join(dir, "file.bin");
    writeFileSync(dest, "good old copy");
    await expect(downloadFile(`${server.url}/file.bin`, dest, { sha256: "0".repeat(64), progress: false })).rejects.toThrow(
      `download: ${server.url}/file.bin: sha256 mismatch: expected ${"0".repeat(64)}, got ${sum} (12000 bytes); ${dest} was left unchanged`,
    );
    expect(readFileSync(dest, "utf8")).toBe("good old copy");
    expect(readdirSync(dir)).toEqual(["file.bin"]);
  });

  it("a broken-off transfer keeps the cached file and cleans up", async () => {
    const dir = tempDir();
    const dest = join(dir, "file.bin");
    writeFileSync(dest, "good old copy");
    await expect(downloadFile(`${server.url}/cut`, dest, { progress: false })).rejects.toThrow(/download: GET .*\/cut (broke off after|delivered)/);
    expect(readFileSync(dest, "utf8")).toBe("good old copy");
    expect(readdirSync(dir)).toEqual(["file.bin"]);
  });

  it("HTTP errors and refused connections name the URL", async () => {
    const dest = join(tempDir(), "x");
    await expect(downloadFile(`${server.url}/missing`, dest, { progress: false })).rejects.toThrow(`download: GET ${server.url}/missing answered HTTP 404 Not Found`);
    const dead = await deadUrl();
    await expect(downloadFile(dead, dest, { progress: false })).rejects.toThrow(new RegExp(`download: GET ${dead} failed \\(.*ECONNREFUSED`));
    expect(existsSync(dest)).toBe(false);
  });
});
