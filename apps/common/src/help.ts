/**
 * What every app's command line has besides its own options: `--version`
 * (the app's package version) and "(required)" after each option it cannot
 * run without, in --help.
 */
import { readFileSync } from "node:fs";
import { Help, type Command } from "commander";

/** The version in the package.json beside the app's dist/ (`metaUrl` is its main's import.meta.url). */
export function appVersion(metaUrl: string): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", metaUrl), "utf8")) as { version?: unknown };
  if (typeof pkg.version !== "string") throw new Error(`${new URL("../package.json", metaUrl).pathname}: no "version"`);
  return pkg.version;
}

/** Adds `--version` ("<name> <version>") and the "(required)" marks to `program`; returns it. */
export function standardCli(program: Command, metaUrl: string): Command {
  return program.version(`${program.name()} ${appVersion(metaUrl)}`, "--version", "print the version and exit").configureHelp({
    optionDescription(option) {
      const described = Help.prototype.optionDescription.call(this, option);
      return option.mandatory ? `${described} (required)` : described;
    },
  });
}
