/**
 * Every app has --version and marks its required options in --help: the
 * helper on a small program, then each built app as a user runs it.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { appVersion, standardCli } from "../src/index.js";

const COMMON_VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
// The helper reads ../package.json from the URL it is given, as from an app's dist/main.js.
const MAIN_URL = new URL("../dist/main.js", import.meta.url).href;

function program(): Command {
  return new Command()
    .name("demo")
    .requiredOption("--in <file>", "file to read")
    .option("--count <n>", "how many", "3")
    .option("--quiet", "say less")
    .exitOverride();
}

describe("standardCli", () => {
  it("appVersion reads the package.json beside dist/", () => {
    expect(appVersion(MAIN_URL)).toBe(COMMON_VERSION);
  });

  it('--help: "--in <file>  file to read (required)"; other options unmarked, defaults as before', () => {
    const help = standardCli(program(), MAIN_URL).helpInformation();
    expect(help).toMatch(/--in <file>\s+file to read \(required\)\n/);
    expect(help).toMatch(/--count <n>\s+how many \(default: "3"\)\n/);
    expect(help).toMatch(/--quiet\s+say less\n/);
    expect(help).toMatch(/--version\s+print the version and exit\n/);
  });

  it('--version prints "demo <version>"', () => {
    let out = "";
    const p = standardCli(program(), MAIN_URL).configureOutput({ writeOut: (s) => (out += s) });
    expect(() => p.parse(["node", "demo", "--version"])).toThrow(COMMON_VERSION);
    expect(out).toBe(`demo ${COMMON_VERSION}\n`);
  });
});

describe("the apps", () => {
  const apps = ["train-mnist", "train-sentiment", "export-onnx", "visualize"] as const;
  const required: Record<(typeof apps)[number], string[]> = {
    "train-mnist": [],
    "train-sentiment": [],
    "export-onnx": ["--checkpoint", "--out"],
    visualize: ["--runs"],
  };
  const run = (app: string, arg: string): string => {
    const main = new URL(`../../${app}/dist/main.js`, import.meta.url).pathname;
    const r = spawnSync(process.execPath, [main, arg], { encoding: "utf8", timeout: 30_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return r.stdout;
  };

  it.each(apps)("%s --version prints its name and package version", (app) => {
    const version = (JSON.parse(readFileSync(new URL(`../../${app}/package.json`, import.meta.url), "utf8")) as { version: string }).version;
    expect(run(app, "--version")).toBe(`${app} ${version}\n`);
  });

  it.each(apps)("%s --help marks exactly its required options", (app) => {
    // Help wraps long descriptions; join each option's lines before reading its mark.
    const entries = run(app, "--help").split(/\n(?=\s{2}-)/);
    const marked = entries.filter((e) => /\(required\)\s*$/.test(e.replace(/\s+/g, " "))).map((e) => e.trim().split(/[\s,]/)[0]);
    expect(marked).toEqual(required[app]);
  });
});
